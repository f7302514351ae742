using System.Net;
using System.Net.Sockets;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

/// <summary>Each way a connection fails has its own outcome and wording, and nothing runs on the host in any of them.</summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class ConnectionFailureTests(SshFixture fixture)
{
    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        var port = SshdServer.FreePort(); // nothing listens there now
        await using var transport = fixture.Transport(fixture.Profile() with { Port = port });

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));

        var failure = Assert.IsType<SshConnectionException>(e.InnerException);
        Assert.Equal(SshFailureKind.Unreachable, failure.Kind);
        Assert.Equal("master-0", e.Host);
        Assert.Contains($"127.0.0.1:{port} refused the connection", e.Reason, StringComparison.Ordinal);
        Assert.Contains("Connection refused", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_that_never_answers_is_a_connect_timeout()
    {
        // A listener that accepts and then says nothing: ssh waits for the banner until ConnectTimeout.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var transport = fixture.Transport(fixture.Profile() with { Port = port, ConnectTimeout = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));

        var failure = Assert.IsType<SshConnectionException>(e.InnerException);
        Assert.Equal(SshFailureKind.ConnectTimeout, failure.Kind);
        Assert.Contains("no SSH answer from 127.0.0.1", e.Reason, StringComparison.Ordinal);
        Assert.Contains("within 1s", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_the_host_does_not_accept_is_a_refused_login()
    {
        var keyId = "wrong-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Keys.ImportAsync(keyId, await File.ReadAllTextAsync(fixture.Server.WrongKeyPath), null, CancellationToken.None);
        await using var transport = fixture.Transport(fixture.Profile() with { KeyId = keyId });

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));

        var refused = Assert.IsType<SshLoginRefusedException>(e.InnerException);
        Assert.Equal(SshFailureKind.LoginRefused, refused.Kind);
        Assert.Equal("root", refused.User);
        Assert.Equal("publickey", refused.Methods);
        Assert.Contains("refused the login of user 'root'", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_host_key_stops_the_connection_with_the_offered_fingerprint()
    {
        await using var transport = fixture.Transport(fixture.Profile(HostKeyTrust.OtherKey));
        var canary = Path.Combine(fixture.Server.Directory, "canary-" + Guid.NewGuid().ToString("N"));

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, $"touch {canary}", new CollectingSink(), CancellationToken.None));

        var changed = Assert.IsType<HostKeyChangedException>(e.InnerException);
        Assert.StartsWith("REMOTE HOST IDENTIFICATION HAS CHANGED for 127.0.0.1:", e.Reason, StringComparison.Ordinal);
        Assert.Equal("ED25519", changed.KeyType);
        Assert.Equal(fixture.Server.HostKeyFingerprint, changed.OfferedFingerprint);
        Assert.Equal(transport.Profile.KnownHostsFile, changed.KnownHostsFile);
        Assert.False(File.Exists(canary));
        // ssh must not have "fixed" the console's file.
        Assert.Equal($"{fixture.Server.KnownHostsName} {fixture.Server.OtherHostKey}\n", await File.ReadAllTextAsync(transport.Profile.KnownHostsFile));
    }

    [Fact]
    public async Task A_host_that_is_not_a_host_name_is_refused_before_ssh_runs()
    {
        await using var transport = fixture.Transport();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            transport.RunAsync(new HostInfo("evil", "-oProxyCommand=touch /tmp/x", []), "true", new CollectingSink(), CancellationToken.None));
    }
}
