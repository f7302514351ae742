using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.HostKeys;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.HostKeys;

[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class HostKeyTrustTests(SshFixture fixture)
{
    [Fact]
    public async Task An_unknown_host_key_is_not_trusted_then_accepted_after_a_scan()
    {
        await using var transport = fixture.Transport(fixture.Profile(HostKeyTrust.Nothing));
        var canary = Path.Combine(fixture.Server.Directory, "canary-" + Guid.NewGuid().ToString("N"));

        // 1. Refused, with the fingerprint to show the operator; nothing ran, nothing was written.
        var e = await Assert.ThrowsAsync<HostUnreachableException>(() => transport.RunAsync(fixture.Host, $"touch {canary}", new CollectingSink(), CancellationToken.None));
        var unknown = Assert.IsType<HostKeyUnknownException>(e.InnerException);
        Assert.Equal("ED25519", unknown.KeyType);
        Assert.Equal(fixture.Server.HostKeyFingerprint, unknown.Fingerprint);
        Assert.Contains(unknown.Fingerprint!, e.Reason, StringComparison.Ordinal);
        Assert.Contains("not trusted yet", e.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(canary));
        Assert.Equal("", await File.ReadAllTextAsync(transport.Profile.KnownHostsFile));

        // 2. The operator scans, compares and accepts exactly the scanned key.
        var scanned = await transport.ScanHostKeysAsync(fixture.Host, CancellationToken.None);
        var key = Assert.Single(scanned);
        Assert.Equal(unknown.Fingerprint, key.Fingerprint);
        Assert.Equal(fixture.Server.HostKey, $"{key.KeyType} {key.PublicKey}");
        var accepted = await transport.AcceptHostKeyAsync(key, replaceExisting: false, CancellationToken.None);
        Assert.Equal(new AcceptedHostKey(fixture.Server.KnownHostsName, "ssh-ed25519", key.Fingerprint, transport.Profile.KnownHostsFile, [], false),
            accepted with { Replaced = [] });
        Assert.Equal($"{fixture.Server.KnownHostsName} {fixture.Server.HostKey}\n", await File.ReadAllTextAsync(transport.Profile.KnownHostsFile));

        // 3. Now the connection works.
        var sink = new CollectingSink();
        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo trusted", sink, CancellationToken.None));
        Assert.Equal(["trusted"], sink.Stdout);
    }

    [Fact]
    public async Task Accepting_the_same_key_twice_writes_it_once()
    {
        var knownHosts = new KnownHosts(fixture.Server.KnownHosts(HostKeyTrust.Nothing), fixture.Settings);
        var key = Assert.Single(await knownHosts.ScanAsync("127.0.0.1", fixture.Server.Port, TimeSpan.FromSeconds(5), CancellationToken.None));

        await knownHosts.AcceptAsync(key, false, CancellationToken.None);
        var again = await knownHosts.AcceptAsync(key, false, CancellationToken.None);

        Assert.True(again.AlreadyTrusted);
        Assert.Single(await File.ReadAllLinesAsync(knownHosts.Path));
    }

    [Fact]
    public async Task A_different_key_replaces_the_trusted_one_only_when_asked()
    {
        var knownHosts = new KnownHosts(fixture.Server.KnownHosts(HostKeyTrust.OtherKey), fixture.Settings);
        var key = Assert.Single(await knownHosts.ScanAsync("127.0.0.1", fixture.Server.Port, TimeSpan.FromSeconds(5), CancellationToken.None));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => knownHosts.AcceptAsync(key, false, CancellationToken.None));
        Assert.Contains("already has a different trusted ED25519 key", refused.Message, StringComparison.Ordinal);

        var replaced = await knownHosts.AcceptAsync(key, replaceExisting: true, CancellationToken.None);
        var old = Assert.Single(replaced.Replaced);
        Assert.NotEqual(key.Fingerprint, old);
        var trusted = Assert.Single(await knownHosts.FindAsync("127.0.0.1", fixture.Server.Port, CancellationToken.None));
        Assert.Equal(key.Fingerprint, trusted.Fingerprint);
    }

    [Fact]
    public async Task Scanning_a_closed_port_says_so()
    {
        var knownHosts = new KnownHosts(fixture.Server.KnownHosts(HostKeyTrust.Nothing), fixture.Settings);

        var e = await Assert.ThrowsAsync<HostKeyScanException>(() => knownHosts.ScanAsync("127.0.0.1", SshdServer.FreePort(), TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.Contains("ssh-keyscan got no host key from 127.0.0.1:", e.Message, StringComparison.Ordinal);
    }
}
