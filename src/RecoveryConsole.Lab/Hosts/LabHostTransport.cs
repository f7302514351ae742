using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Hosts;

/// <summary>
/// The lab's stand-in for SSH: runs a command through <see cref="LabShell"/> against the host's simulated state.
/// Behaves like the real transport at the edges: unknown or unreachable hosts throw <see cref="HostUnreachableException"/>,
/// cancellation stops the command and throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class LabHostTransport : IHostTransport
{
    private readonly Dictionary<string, LabHost> _hosts;

    public LabHostTransport(IEnumerable<LabHost> hosts, LabShell shell)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(shell);
        _hosts = hosts.ToDictionary(h => h.Name, StringComparer.Ordinal);
        Shell = shell;
    }

    public LabShell Shell { get; }

    public IReadOnlyCollection<LabHost> Hosts => _hosts.Values;

    public LabHost? FindHost(string name) => _hosts.GetValueOrDefault(name);

    public async Task<int> RunAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();

        if (!_hosts.TryGetValue(host.Name, out var labHost))
            throw new HostUnreachableException(host.Name, "ssh: Could not resolve hostname: the host is not part of this lab cluster");
        labHost.OnConnecting();
        if (!labHost.Reachable)
            throw new HostUnreachableException(host.Name, $"ssh: connect to host {labHost.Address} port 22: No route to host");

        try
        {
            // Off the caller's thread: a command whose output never waits (seq into a fast sink) would otherwise
            // run to completion inside RunAsync before the caller gets its Task back.
            return await Task.Run(() => Shell.RunAsync(command, labHost, output, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (SessionClosedException)
        {
            // The host went down under the command (a reboot): what the OpenSSH client prints, and its exit status.
            output.Line(OutputStream.Stderr, $"Connection to {labHost.Address} closed by remote host.");
            return SessionClosedExitCode;
        }
    }

    /// <summary>ssh's own exit status when the connection is lost: the command's status never arrived.</summary>
    public const int SessionClosedExitCode = 255;
}
