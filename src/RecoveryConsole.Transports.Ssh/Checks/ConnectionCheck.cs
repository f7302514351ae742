using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Failures;

namespace RecoveryConsole.Transports.Ssh.Checks;

/// <summary>
/// The "test connection" button: per host, is it reachable, is its key the trusted one, does the login work, and
/// does sudo work without a password (every OpenShift recovery step needs it). Runs nothing but <c>sudo -n true</c>.
/// </summary>
public sealed class ConnectionCheck(SshHostTransport transport)
{
    private static readonly TimeSpan SudoLimit = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<HostConnectionReport>> CheckAllAsync(IEnumerable<HostInfo> hosts, CancellationToken cancellationToken) =>
        await Task.WhenAll(hosts.Select(h => CheckAsync(h, cancellationToken))).ConfigureAwait(false);

    public async Task<HostConnectionReport> CheckAsync(HostInfo host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var profile = transport.Profile;
        var where = $"{host.Address} port {profile.Port}";
        try
        {
            await transport.ConnectAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (HostUnreachableException e) when (SshConnectionException.Of(e) is { } failure)
        {
            return FromFailure(host, where, failure);
        }
        var trusted = await transport.KnownHosts.FindAsync(host.Address.Trim('[', ']'), profile.Port, cancellationToken).ConfigureAwait(false);
        return new HostConnectionReport(host.Name, host.Address,
            CheckItem.Passed($"{where} answered and completed the SSH handshake."),
            HostKeyState.Known,
            CheckItem.Passed($"The host's key is the one the console trusts ({string.Join(", ", trusted.Select(k => k.Fingerprint))})."),
            CheckItem.Passed($"User '{profile.User}' logged in with {(profile.KeyId is null ? "the operator's SSH configuration" : $"the stored key '{profile.KeyId}'")}."),
            await CheckSudoAsync(host, cancellationToken).ConfigureAwait(false),
            []);
    }

    private async Task<CheckItem> CheckSudoAsync(HostInfo host, CancellationToken cancellationToken)
    {
        var output = new Capture();
        int exit;
        try
        {
            exit = await transport.RunAsync(host, "sudo -n true", output, SudoLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HostUnreachableException or RemoteCommandLostException or RemoteCommandTimeoutException)
        {
            return CheckItem.Failed($"sudo could not be checked: {e.Message}");
        }
        var said = output.LastLine;
        if (exit == 0) return CheckItem.Passed("sudo works without a password (sudo -n true succeeded).");
        if (exit == 127 || said.Contains("not found", StringComparison.OrdinalIgnoreCase))
            return CheckItem.Failed("sudo is not installed on this host; steps that use sudo will fail.");
        return CheckItem.Failed($"sudo -n true failed with exit code {exit} (\"{said}\"): sudo asks for a password or is not allowed, so steps that use sudo will fail.");
    }

    private static HostConnectionReport FromFailure(HostInfo host, string where, SshConnectionException failure)
    {
        var unreached = CheckItem.NotChecked("Not checked: the host could not be reached.");
        var untrusted = CheckItem.NotChecked("Not tried: the console does not log in to a host whose key it does not trust.");
        var noLogin = CheckItem.NotChecked("Not checked: the login did not succeed.");
        var reached = CheckItem.Passed($"{where} answered.");
        var known = CheckItem.Passed("The host's key is the one the console trusts.");
        return failure switch
        {
            HostKeyUnknownException unknown => new HostConnectionReport(host.Name, host.Address, reached, HostKeyState.Unknown,
                CheckItem.Failed(Sentence(unknown.Reason)), untrusted, untrusted, unknown.OfferedKeys),
            HostKeyChangedException changed => new HostConnectionReport(host.Name, host.Address, reached, HostKeyState.Changed,
                CheckItem.Failed(Sentence(changed.Reason)), untrusted, untrusted, []),
            SshLoginRefusedException refused => new HostConnectionReport(host.Name, host.Address, reached, HostKeyState.Known, known,
                CheckItem.Failed(Sentence(refused.Reason)), noLogin, []),
            { Kind: SshFailureKind.ShellRefused } => new HostConnectionReport(host.Name, host.Address, reached, HostKeyState.Known, known,
                CheckItem.Failed(Sentence(failure.Reason)), noLogin, []),
            { Kind: SshFailureKind.ClientError } => new HostConnectionReport(host.Name, host.Address,
                CheckItem.Failed(Sentence(failure.Reason)), HostKeyState.NotChecked, unreached, unreached, unreached, []),
            _ => new HostConnectionReport(host.Name, host.Address, CheckItem.Failed(Sentence(failure.Reason)), HostKeyState.NotChecked,
                unreached, unreached, unreached, []),
        };
    }

    private static string Sentence(string reason) => char.ToUpperInvariant(reason[0]) + reason[1..] + ".";

    private sealed class Capture : IOutputSink
    {
        private string _last = "";
        public string LastLine { get { lock (this) return _last; } }

        public void Line(OutputStream stream, string text)
        {
            if (stream == OutputStream.System || text.Trim().Length == 0) return;
            lock (this) _last = text.Trim();
        }
    }
}
