using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Failures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

/// <summary>ssh's own wording (OpenSSH 9.x, LogLevel=ERROR), mapped to outcomes.</summary>
public sealed class SshDiagnosticsTests
{
    private static readonly HostEndpoint Endpoint = new("master-1", "10.0.0.6", 22, "core");
    private static readonly SshClusterProfile Profile = new() { KnownHostsFile = "/var/lib/rc/known_hosts", ConnectTimeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData("ssh: connect to host 10.0.0.6 port 22: Connection refused", SshFailureKind.Unreachable, "10.0.0.6:22 refused the connection")]
    [InlineData("ssh: connect to host 10.0.0.6 port 22: No route to host", SshFailureKind.Unreachable, "there is no network path to 10.0.0.6:22")]
    [InlineData("ssh: connect to host 10.0.0.6 port 22: Network is unreachable", SshFailureKind.Unreachable, "there is no network path")]
    [InlineData("ssh: Could not resolve hostname master-1.example: Name or service not known", SshFailureKind.Unreachable, "does not resolve")]
    [InlineData("kex_exchange_identification: Connection closed by remote host", SshFailureKind.Unreachable, "closed the connection before a session was open")]
    [InlineData("ssh: connect to host 10.0.0.6 port 22: Connection timed out", SshFailureKind.ConnectTimeout, "no SSH answer from 10.0.0.6:22 within 10s")]
    [InlineData("Connection timed out during banner exchange", SshFailureKind.ConnectTimeout, "no SSH answer")]
    [InlineData("core@10.0.0.6: Permission denied (publickey,gssapi-keyex).", SshFailureKind.LoginRefused, "refused the login of user 'core'")]
    [InlineData("Load key \"/tmp/rc-ssh-x/id-cluster\": invalid format", SshFailureKind.ClientError, "could not start the connection")]
    [InlineData("something nobody has seen before", SshFailureKind.ClientError, "ssh could not open a session on 10.0.0.6:22 (ssh: \"something nobody has seen before\")")]
    public void Each_message_has_its_outcome(string line, SshFailureKind kind, string reasonPart)
    {
        var failure = SshDiagnostics.Classify(Endpoint, Profile, [line], 255);

        Assert.Equal(kind, failure.Kind);
        Assert.Contains(reasonPart, failure.Reason, StringComparison.Ordinal);
        Assert.Equal([line], failure.Diagnostics);
        Assert.False(failure.Reason.EndsWith('.'), "the engine appends its own sentence after the reason");
    }

    [Fact]
    public void A_changed_key_names_the_offered_fingerprint()
    {
        string[] lines =
        [
            "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
            "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
            "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
            "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
            "The fingerprint for the ECDSA key sent by the remote host is",
            "SHA256:z4CpyV2hMix9fA+nmDuH3b/MLpcP2QhXEPCic68xZWo.",
            "Host key for 10.0.0.6 has changed and you have requested strict checking.",
            "Host key verification failed.",
        ];

        var changed = Assert.IsType<HostKeyChangedException>(SshDiagnostics.Classify(Endpoint, Profile, lines, 255));

        Assert.Equal("ECDSA", changed.KeyType);
        Assert.Equal("SHA256:z4CpyV2hMix9fA+nmDuH3b/MLpcP2QhXEPCic68xZWo", changed.OfferedFingerprint);
        Assert.StartsWith("REMOTE HOST IDENTIFICATION HAS CHANGED for 10.0.0.6:22", changed.Reason, StringComparison.Ordinal);
        Assert.Contains("/var/lib/rc/known_hosts", changed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_names_its_type()
    {
        var unknown = Assert.IsType<HostKeyUnknownException>(SshDiagnostics.Classify(Endpoint, Profile,
            ["No ED25519 host key is known for 10.0.0.6 and you have requested strict checking.", "Host key verification failed."], 255));

        Assert.Equal("ED25519", unknown.KeyType);
        Assert.Null(unknown.Fingerprint);
    }

    [Fact]
    public void The_engine_sees_nothing_ran_through_its_own_exception_type()
    {
        var failure = SshDiagnostics.Classify(Endpoint, Profile, ["core@10.0.0.6: Permission denied (publickey)."], 255);

        var unreachable = failure.AsUnreachable();

        Assert.Equal("master-1", unreachable.Host);
        Assert.Equal(failure.Reason, unreachable.Reason);
        Assert.Same(failure, SshConnectionException.Of(unreachable));
    }
}
