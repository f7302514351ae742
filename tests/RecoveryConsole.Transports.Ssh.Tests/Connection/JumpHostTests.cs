using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

/// <summary>The fixture's sshd serves as its own bastion: 127.0.0.1 through 127.0.0.1.</summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class JumpHostTests(SshFixture fixture)
{
    private SshClusterProfile ThroughJump(HostKeyTrust trust) => fixture.Profile(trust) with
    {
        JumpHost = JumpHost.Parse($"root@127.0.0.1:{fixture.Server.Port}", "core"),
    };

    [Fact]
    public async Task Commands_run_through_the_jump_host()
    {
        await using var transport = fixture.Transport(ThroughJump(HostKeyTrust.RealKey));
        var sink = new CollectingSink();

        Assert.Equal(5, await transport.RunAsync(fixture.Host, "echo via-jump; exit 5", sink, CancellationToken.None));
        Assert.Equal(["via-jump"], sink.Stdout);
    }

    [Fact]
    public async Task The_jump_hosts_key_is_checked_against_the_consoles_file_too()
    {
        await using var transport = fixture.Transport(ThroughJump(HostKeyTrust.OtherKey));

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));

        var changed = Assert.IsType<HostKeyChangedException>(e.InnerException);
        Assert.StartsWith($"REMOTE HOST IDENTIFICATION HAS CHANGED for jump host 127.0.0.1:{fixture.Server.Port}", changed.Reason, StringComparison.Ordinal);
        Assert.Equal(fixture.Server.HostKeyFingerprint, changed.OfferedFingerprint);
    }

    [Fact]
    public async Task An_unknown_jump_host_key_is_shown_with_the_jump_hosts_fingerprint()
    {
        await using var transport = fixture.Transport(ThroughJump(HostKeyTrust.Nothing));

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));

        var unknown = Assert.IsType<HostKeyUnknownException>(e.InnerException);
        Assert.Contains("jump host 127.0.0.1:", unknown.Reason, StringComparison.Ordinal);
        Assert.Equal(fixture.Server.HostKeyFingerprint, unknown.Fingerprint);
    }

    [Fact]
    public async Task A_jump_host_that_refuses_connections_is_named_as_the_problem()
    {
        await using var transport = fixture.Transport(fixture.Profile() with { JumpHost = JumpHost.Parse($"root@127.0.0.1:{SshdServer.FreePort()}", "core") });

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));

        Assert.Equal(SshFailureKind.Unreachable, SshConnectionException.Of(e)!.Kind);
        Assert.StartsWith("jump host 127.0.0.1:", e.Reason, StringComparison.Ordinal);
        Assert.Contains("refused the connection", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_behind_the_jump_host_can_be_scanned_without_logging_in()
    {
        // Trust only the jump host's entry... which is the same key here; the scan learns the target's key through it.
        await using var transport = fixture.Transport(ThroughJump(HostKeyTrust.RealKey));

        var keys = await transport.ScanHostKeysAsync(fixture.Host, CancellationToken.None);

        var key = Assert.Single(keys);
        Assert.Equal(fixture.Server.HostKeyFingerprint, key.Fingerprint);
        Assert.Equal(fixture.Server.KnownHostsName, key.HostName);
    }
}
