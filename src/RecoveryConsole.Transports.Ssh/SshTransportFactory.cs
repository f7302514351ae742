using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>
/// Creates one <see cref="SshHostTransport"/> per cluster and closes them all when the console stops (the DI
/// container disposes this singleton), so no master connection or key file outlives the console. Leftovers of a
/// console that crashed are removed when the factory is created.
/// </summary>
public sealed class SshTransportFactory : IAsyncDisposable
{
    private readonly SshSettings _settings;
    private readonly ISshKeyStore? _keys;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<SshHostTransport, byte> _live = new();

    public SshTransportFactory(IOptions<SshSettings> settings, ISshKeyStore? keys = null, ILoggerFactory? loggers = null)
    {
        _settings = settings.Value;
        _settings.Validate();
        _keys = keys;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        var swept = PrivateDirectory.SweepStale(_settings.RuntimeDirectory, _settings.SshPath);
        if (swept > 0)
            _loggers.CreateLogger<SshTransportFactory>().LogWarning("Removed {Count} SSH directories left behind by a console that stopped without cleaning up", swept);
    }

    public SshHostTransport Create(SshClusterProfile profile)
    {
        var transport = new SshHostTransport(profile, _settings, _keys, _loggers.CreateLogger<SshHostTransport>());
        _live[transport] = 0;
        return transport;
    }

    /// <summary>Closes a cluster's transport early (its settings changed, or it was removed).</summary>
    public async ValueTask ReleaseAsync(SshHostTransport transport)
    {
        if (_live.TryRemove(transport, out _)) await transport.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _live.Keys) await ReleaseAsync(transport).ConfigureAwait(false);
    }
}
