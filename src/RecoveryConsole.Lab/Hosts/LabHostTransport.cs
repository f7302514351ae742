using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Hosts;

/// <summary>
/// The lab's stand-in for SSH: runs a command through <see cref="LabShell"/> against the host's simulated state.
/// Behaves like the real transport at the edges: unknown or unreachable hosts throw <see cref="HostUnreachableException"/>,
/// cancellation stops the command and throws <see cref="OperationCanceledException"/>. Files move through
/// <see cref="IHostFiles"/> (LabHostTransport.Files.cs).
/// </summary>
public sealed partial class LabHostTransport : IHostTransport, IHostFiles
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

        var labHost = Reach(host);

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

    /// <summary>The simulated host behind <paramref name="host"/>, as ssh would find it: unknown and cut-off hosts are unreachable.</summary>
    private LabHost Reach(HostInfo host)
    {
        if (!_hosts.TryGetValue(host.Name, out var labHost))
            throw new HostUnreachableException(host.Name, "ssh: Could not resolve hostname: the host is not part of this lab cluster");
        labHost.OnConnecting(); // the model catches up first: a rebooted host may be back
        if (!labHost.Reachable)
            throw new HostUnreachableException(host.Name, $"ssh: connect to host {labHost.Address} port 22: No route to host");
        return labHost;
    }
}
