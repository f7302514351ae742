using System.Diagnostics;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Processes;

namespace RecoveryConsole.Transports.Ssh.Connection;

/// <summary>
/// One master connection per host and user (ControlMaster), opened explicitly before the first command. Opening it
/// alone has a benefit beyond speed: its output is ssh's own diagnostics only, so an unreachable host, a refused
/// login and a host-key problem are told apart before any command is involved.
/// </summary>
internal sealed partial class MasterConnections(SshSettings settings, SshClusterProfile profile, SshCommandLine commandLine, ILogger logger)
{
    private static readonly TimeSpan ControlLimit = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostEndpoint> _opened = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _logins = new(settings.MaxConcurrentLogins, settings.MaxConcurrentLogins);
    private readonly ConcurrentDictionary<string, (int Pid, long CheckedAt)> _alive = new(StringComparer.Ordinal);
    /// <summary>How long a master that answered <c>ssh -O check</c> is trusted while its process lives, without asking again.</summary>
    private static readonly TimeSpan CheckedRecently = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"pid=(?<pid>\d+)")]
    private static partial Regex MasterPid();

    /// <summary>Makes sure the host's master is up; throws <see cref="SshConnectionException"/> when it cannot be.</summary>
    public async Task EnsureAsync(HostEndpoint endpoint, CancellationToken cancellationToken)
    {
        var path = commandLine.ControlPathFor(endpoint);
        if (KnownAlive(path)) return;
        var gate = _gates.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await MasterPidAsync(endpoint, cancellationToken).ConfigureAwait(false) is not null) return;
            // Connect, key exchange and login; a jump host doubles the first two.
            var limit = profile.ConnectTimeout * (profile.JumpHost is null ? 1 : 2) + TimeSpan.FromSeconds(20);
            CapturedRun run;
            // Logins in progress are what sshd's MaxStartups counts (a jump host sees every host's): a few at a time.
            await _logins.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { run = await CapturedRun.RunAsync(settings.SshPath, commandLine.Master(endpoint), limit, cancellationToken).ConfigureAwait(false); }
            finally { _logins.Release(); }
            if (run.ExitCode == 0 && File.Exists(path))
            {
                _opened[path] = endpoint;
                logger.LogInformation("SSH master connection to {Host} ({Address}) opened as {User}", endpoint.Name, endpoint.Display, endpoint.User);
                return;
            }
            if (run.TimedOut)
                throw new SshConnectionException(endpoint.Name, SshFailureKind.ConnectTimeout,
                    $"{endpoint.Display} did not complete the SSH login within {Durations.Format(limit)}", run.StderrLines);
            if (run.ExitCode == 0)
                throw new SshConnectionException(endpoint.Name, SshFailureKind.ClientError,
                    $"ssh logged in to {endpoint.Display} but left no control socket at {path}", run.StderrLines);
            var failure = SshDiagnostics.Classify(endpoint, profile, run.StderrLines, run.ExitCode);
            if (profile.JumpHost is not null && failure.Kind is SshFailureKind.Unreachable or SshFailureKind.ConnectTimeout or SshFailureKind.ClientError)
                failure = await ExplainJumpFailureAsync(endpoint, failure, limit, cancellationToken).ConfigureAwait(false);
            logger.LogWarning("SSH connection to {Host} ({Address}) failed: {Kind}: {Reason}", endpoint.Name, endpoint.Display, failure.Kind, failure.Reason);
            throw failure;
        }
        finally { gate.Release(); }
    }

    /// <summary>
    /// A master silences its ProxyCommand's stderr (ssh sends it to /dev/null for ControlPersist connections), so a
    /// failed hop shows only "connection closed". A plain login to the jump host tells whether the jump host itself is
    /// the problem (and why), or the leg from it to the host.
    /// </summary>
    private async Task<SshConnectionException> ExplainJumpFailureAsync(HostEndpoint endpoint, SshConnectionException failure, TimeSpan limit, CancellationToken cancellationToken)
    {
        var jump = profile.JumpHost!;
        var jumpEndpoint = new HostEndpoint(endpoint.Name, jump.Address, jump.Port, jump.User) { IsJumpHost = true };
        var probe = await CapturedRun.RunAsync(settings.SshPath, commandLine.JumpProbe(jumpEndpoint), limit, cancellationToken).ConfigureAwait(false);
        if (probe.ExitCode == 255) return SshDiagnostics.Classify(jumpEndpoint, profile, probe.StderrLines, 255);
        return new SshConnectionException(endpoint.Name, failure.Kind,
            $"the jump host {jump} answers, but the connection from it to {endpoint.Display} failed ({failure.Reason})", failure.Diagnostics) { Endpoint = endpoint };
    }

    /// <summary>The master's local process id, or null when there is no live master for the host.</summary>
    public async Task<int?> MasterPidAsync(HostEndpoint endpoint, CancellationToken cancellationToken)
    {
        var path = commandLine.ControlPathFor(endpoint);
        _alive.TryRemove(path, out _);
        if (!File.Exists(path)) return null;
        var check = await CapturedRun.RunAsync(settings.SshPath, commandLine.Control(endpoint, "check"), ControlLimit, cancellationToken).ConfigureAwait(false);
        if (check.ExitCode != 0) return null; // a stale socket: "auto" replaces it when the master is opened again
        var m = MasterPid().Match(check.StderrText + check.StdoutText);
        if (!m.Success) return 0;
        var pid = int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture);
        _alive[path] = (pid, Stopwatch.GetTimestamp());
        return pid;
    }

    /// <summary>
    /// The master answered a check moments ago and its process still lives: no <c>ssh -O check</c> (a process of its own)
    /// before the next command. 50 hosts released together spawned 100 processes instead of 50 on a loaded 2-core machine.
    /// A master that died since is found here (its process is gone), and a command without one connects directly anyway.
    /// </summary>
    private bool KnownAlive(string path)
    {
        if (!_alive.TryGetValue(path, out var known) || Stopwatch.GetElapsedTime(known.CheckedAt) > CheckedRecently) return false;
        try
        {
            if (File.Exists(path) && File.ReadAllText($"/proc/{known.Pid}/cmdline").Length > 0) return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        _alive.TryRemove(path, out _);
        return false;
    }

    public IReadOnlyCollection<HostEndpoint> Opened => _opened.Values.ToArray();

    /// <summary>Asks every master this transport opened to exit (ssh -O exit): their connections close now, not after ControlPersist.</summary>
    public async Task CloseAllAsync()
    {
        foreach (var (path, endpoint) in _opened)
        {
            if (File.Exists(path))
            {
                var exit = await CapturedRun.RunAsync(settings.SshPath, commandLine.Control(endpoint, "exit"), ControlLimit, CancellationToken.None).ConfigureAwait(false);
                if (exit.ExitCode != 0)
                    logger.LogWarning("Closing the SSH master connection to {Host} failed: {Message}", endpoint.Name, exit.StderrText);
                else
                    logger.LogInformation("SSH master connection to {Host} ({Address}) closed", endpoint.Name, endpoint.Display);
            }
            _opened.TryRemove(path, out _);
            _alive.TryRemove(path, out _);
        }
    }
}
