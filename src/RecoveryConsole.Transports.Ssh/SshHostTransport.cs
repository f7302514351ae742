using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.HostKeys;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>
/// Reaches one cluster's hosts with the OpenSSH client: commands (<see cref="RunAsync(HostInfo, string, IOutputSink, CancellationToken)"/>),
/// files (<see cref="UploadAsync(HostInfo, string, string, CancellationToken)"/>, <see cref="DownloadAsync(HostInfo, string, string, CancellationToken)"/>)
/// and host keys. Owns a private 0700 directory holding one master connection per host and, for a stored key, the
/// unencrypted key file; disposing closes the masters and removes the directory with the key.
/// </summary>
public sealed partial class SshHostTransport : IHostTransport, IAsyncDisposable, IDisposable
{
    private readonly SshSettings _settings;
    private readonly ISshKeyStore? _keys;
    private readonly ILogger _logger;
    private readonly PrivateDirectory _directory;
    private readonly SshCommandLine _commandLine;
    private readonly MasterConnections _masters;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _identityReady;
    private int _disposed;

    public SshHostTransport(SshClusterProfile profile, SshSettings settings, ISshKeyStore? keys = null, ILogger<SshHostTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(settings);
        profile.Validate();
        settings.Validate();
        if (profile.KeyId is not null && keys is null)
            throw new ArgumentException($"The profile names the stored key '{profile.KeyId}' but no key store was given.", nameof(keys));
        Profile = profile;
        _settings = settings;
        _keys = keys;
        _logger = logger ?? NullLogger<SshHostTransport>.Instance;
        _directory = PrivateDirectory.Create(settings.RuntimeDirectory);
        try
        {
            _commandLine = new SshCommandLine(settings, profile, _directory.Path);
        }
        catch
        {
            _directory.Dispose();
            throw;
        }
        _masters = new MasterConnections(settings, profile, _commandLine, _logger);
        KnownHosts = new KnownHosts(profile.KnownHostsFile, settings);
    }

    public SshClusterProfile Profile { get; }

    /// <summary>The cluster's console-owned known_hosts file.</summary>
    public KnownHosts KnownHosts { get; }

    /// <summary>The private 0700 directory (control sockets, key file).</summary>
    internal string RuntimeDirectory => _directory.Path;

    internal string? IdentityFile => _commandLine.IdentityFile;

    internal string ControlPathFor(HostInfo host) => _commandLine.ControlPathFor(HostEndpoint.For(host, Profile));

    internal Task<int?> MasterPidAsync(HostInfo host, CancellationToken cancellationToken) =>
        _masters.MasterPidAsync(HostEndpoint.For(host, Profile), cancellationToken);

    /// <summary>
    /// Opens (or checks) the connection to <paramref name="host"/> without running anything there.
    /// </summary>
    /// <exception cref="HostUnreachableException">With an <see cref="SshConnectionException"/> inside that says why.</exception>
    public async Task ConnectAsync(HostInfo host, CancellationToken cancellationToken)
    {
        await PrepareAsync(host, cancellationToken).ConfigureAwait(false); // opens the master when connections are reused
        if (!Profile.ReuseConnections)
            await RunAsync(host, "true", NullSink.Instance, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The host's keys with their fingerprints, for the operator to compare before accepting one: ssh-keyscan for a
    /// directly reachable host; through the jump host, a connection that learns the key and logs in with nothing.
    /// </summary>
    public async Task<IReadOnlyList<ScannedHostKey>> ScanHostKeysAsync(HostInfo host, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var endpoint = HostEndpoint.For(host, Profile);
        if (Profile.JumpHost is null)
            return await KnownHosts.ScanAsync(endpoint.Address, endpoint.Port, Profile.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        return await ScanThroughJumpAsync(endpoint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Trusts exactly the scanned key the operator confirmed; see <see cref="KnownHosts.AcceptAsync"/>. Audit the returned value.</summary>
    public Task<AcceptedHostKey> AcceptHostKeyAsync(ScannedHostKey key, bool replaceExisting, CancellationToken cancellationToken) =>
        KnownHosts.AcceptAsync(key, replaceExisting, cancellationToken);

    private async Task<IReadOnlyList<ScannedHostKey>> ScanThroughJumpAsync(HostEndpoint endpoint, CancellationToken cancellationToken)
    {
        await EnsureIdentityAsync(cancellationToken).ConfigureAwait(false); // the jump host itself needs a login
        var throwaway = Path.Combine(_directory.Path, "scan-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var probe = await Processes.CapturedRun.RunAsync(_settings.SshPath, _commandLine.KeyProbe(endpoint, throwaway),
                Profile.ConnectTimeout * 2 + TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
            var lines = File.Exists(throwaway) ? await File.ReadAllLinesAsync(throwaway, cancellationToken).ConfigureAwait(false) : [];
            if (lines.Length == 0)
                throw new HostKeyScanException($"No host key from {endpoint.Display} through the jump host: {probe.StderrLines.LastOrDefault() ?? "no answer"}");
            return await KnownHosts.FingerprintAsync(lines, cancellationToken).ConfigureAwait(false);
        }
        finally { File.Delete(throwaway); }
    }

    /// <summary>
    /// Key file and master connection, ready for a command; connection failures come out as <see cref="HostUnreachableException"/>.
    /// A private directory removed from under the console is made again first, and <paramref name="output"/> is told so.
    /// </summary>
    private async Task<HostEndpoint> PrepareAsync(HostInfo host, CancellationToken cancellationToken, IOutputSink? output = null)
    {
        ThrowIfDisposed();
        var endpoint = HostEndpoint.For(host, Profile);
        if (await RestoreDirectoryAsync(cancellationToken).ConfigureAwait(false) is { } restored)
            output?.Line(OutputStream.System, restored);
        await EnsureIdentityAsync(cancellationToken).ConfigureAwait(false);
        if (!Profile.ReuseConnections) return endpoint;
        try
        {
            await _masters.EnsureAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (SshConnectionException e)
        {
            throw (await EnrichAsync(e, endpoint, cancellationToken).ConfigureAwait(false)).AsUnreachable();
        }
        return endpoint;
    }

    /// <summary>An unknown host key is shown with its fingerprint: scan the host (or the jump host, if that is the one) for it.</summary>
    private async Task<SshConnectionException> EnrichAsync(SshConnectionException failure, HostEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (failure is not HostKeyUnknownException { Fingerprint: null } unknown) return failure;
        var scanned = failure.Endpoint ?? endpoint;
        try
        {
            var keys = scanned.IsJumpHost
                ? await KnownHosts.ScanAsync(scanned.Address, scanned.Port, Profile.ConnectTimeout, cancellationToken).ConfigureAwait(false)
                : await ScanHostKeysAsync(new HostInfo(endpoint.Name, endpoint.Address, []), cancellationToken).ConfigureAwait(false);
            var match = keys.FirstOrDefault(k => string.Equals(k.Label, unknown.KeyType, StringComparison.OrdinalIgnoreCase)) ?? keys.FirstOrDefault();
            var enriched = SshDiagnostics.Unknown(endpoint.Name, scanned.Display, match?.Label ?? unknown.KeyType, match?.Fingerprint, keys, failure.Diagnostics);
            enriched.Endpoint = scanned;
            return enriched;
        }
        catch (Exception e) when (e is HostKeyScanException or InvalidOperationException)
        {
            _logger.LogWarning("Scanning the host key of {Host} failed: {Message}", scanned.Display, e.Message);
            return failure;
        }
    }

    /// <summary>
    /// Someone removed the private directory (a /tmp cleaner, an operator): without it every login would fail as if the
    /// host refused the key. It is made again, the key re-written from the encrypted store, and masters reopened on demand
    /// (their sockets went with it). Returns what happened, for the log and the command's output, or null when all is well.
    /// </summary>
    private async Task<string?> RestoreDirectoryAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(_directory.Path)) return null;
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_directory.RecreateIfMissing()) return null; // another command restored it meanwhile
            Volatile.Write(ref _identityReady, false);
        }
        finally { _setup.Release(); }
        var message = $"The console's private SSH directory {_directory.Path} had been removed from outside the console; it was made again" +
            (Profile.KeyId is null ? "" : $" and the key '{Profile.KeyId}' re-written from the encrypted store") + ", and connections are reopened.";
        _logger.LogWarning("{Message}", message);
        return message;
    }

    /// <summary>Writes the stored key, once, as a 0600 file in the private directory; it lives until dispose.</summary>
    private async Task EnsureIdentityAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _identityReady) || Profile.KeyId is null) return;
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_identityReady) return;
            using var key = await _keys!.OpenAsync(Profile.KeyId, cancellationToken).ConfigureAwait(false);
            _commandLine.IdentityFile = _directory.WriteSecretFile(PrivateDirectory.KeyFilePrefix + "cluster", key.PrivateKey);
            Volatile.Write(ref _identityReady, true);
            _logger.LogInformation("SSH key {KeyId} ({Fingerprint}) ready for {User}", key.Info.KeyId, key.Info.Fingerprint, Profile.User);
        }
        finally { _setup.Release(); }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Closes every master connection (ssh -O exit) and removes the private directory with the key file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _masters.CloseAllAsync().ConfigureAwait(false);
        }
        finally
        {
            _directory.Dispose();
            _setup.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class NullSink : IOutputSink
    {
        public static readonly NullSink Instance = new();
        public void Line(OutputStream stream, string text) { }
    }
}
