using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Transports.Ssh.Checks;

namespace RecoveryConsole.Clusters.Tests.Registration;

/// <summary>
/// "Test connection" and host-key trust for a registered cluster whose hosts are a real sshd: first the key is unknown
/// and nothing logs in; an operator accepts exactly the fingerprint the host shows; then login and sudo pass.
/// </summary>
[Collection(SshClusterCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class HostKeyTrustTests(SshClusterFixture sshd) : IAsyncLifetime
{
    private ClustersHost _console = null!;

    public async Task InitializeAsync() => _console = await ClustersHost.StartAsync(lab: false);

    public async Task DisposeAsync() => await _console.DisposeAsync();

    [Fact]
    public async Task An_unknown_key_is_shown_then_accepted_and_then_login_and_sudo_pass()
    {
        await _console.Registration.SaveAsync(sshd.Registration("prod-ssh"), ClustersHost.Olivia, CancellationToken.None);

        var first = await _console.ConnectionTest.RunAsync("prod-ssh", CancellationToken.None);
        Assert.Equal(["master-0", "master-1", "master-2"], first.Hosts.Select(h => h.Host));
        foreach (var host in first.Hosts)
        {
            Assert.Equal(CheckState.Passed, host.Reachable.State);
            Assert.Equal(HostKeyState.Unknown, host.HostKeyState);
            Assert.Contains(sshd.Server.HostKeyFingerprint, host.HostKey.Sentence, StringComparison.Ordinal);
            Assert.Equal(CheckState.NotChecked, host.Login.State);
            Assert.Equal(CheckState.NotChecked, host.Sudo.State);
            Assert.Equal(sshd.Server.HostKeyFingerprint, Assert.Single(host.OfferedKeys).Fingerprint);
        }
        Assert.Empty(first.Apis);
        Assert.False(first.AllPassed);

        await _console.Trust.AcceptAsync("prod-ssh", "master-0", sshd.Server.HostKeyFingerprint, ClustersHost.Olivia, CancellationToken.None);

        var accepted = Assert.Single(await _console.AuditAsync(AuditKinds.HostKeyAccepted));
        Assert.Equal("olivia", accepted.Actor);
        Assert.Equal($"prod-ssh/master-0 (127.0.0.1 port {sshd.Server.Port}) ED25519 {sshd.Server.HostKeyFingerprint}", accepted.Detail);
        var second = await _console.ConnectionTest.RunAsync("prod-ssh", CancellationToken.None);
        foreach (var host in second.Hosts)
        {
            Assert.True(host.AllPassed, $"{host.Host}: {host.Reachable.Sentence} | {host.HostKey.Sentence} | {host.Login.Sentence} | {host.Sudo.Sentence}");
            Assert.Equal(HostKeyState.Known, host.HostKeyState);
            Assert.Equal("User 'root' logged in with the stored key '" + _console.Registry.Definition("prod-ssh")!.Ssh.KeySecretId + "'.", host.Login.Sentence);
            Assert.Equal("sudo works without a password (sudo -n true succeeded).", host.Sudo.Sentence);
        }
    }

    [Fact]
    public async Task A_fingerprint_the_host_does_not_offer_is_refused_and_nothing_is_trusted()
    {
        await _console.Registration.SaveAsync(sshd.Registration("prod-ssh"), ClustersHost.Olivia, CancellationToken.None);
        const string forged = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _console.Trust.AcceptAsync("prod-ssh", "master-0", forged, ClustersHost.Olivia, CancellationToken.None));

        Assert.StartsWith($"master-0 does not offer a key with fingerprint {forged} (it offers ED25519 {sshd.Server.HostKeyFingerprint}). Nothing was trusted",
            e.Message, StringComparison.Ordinal);
        Assert.Empty(await _console.AuditAsync(AuditKinds.HostKeyAccepted));
        Assert.Empty(await _console.Trust.TrustedAsync("prod-ssh", "master-0", CancellationToken.None));
        await Assert.ThrowsAsync<NotAllowedException>(() =>
            _console.Trust.AcceptAsync("prod-ssh", "master-0", sshd.Server.HostKeyFingerprint, ClustersHost.Vera, CancellationToken.None));
        Assert.Empty(await _console.Trust.TrustedAsync("prod-ssh", "master-0", CancellationToken.None));
        var report = await _console.ConnectionTest.RunAsync("prod-ssh", CancellationToken.None);
        Assert.All(report.Hosts, h => Assert.Equal(HostKeyState.Unknown, h.HostKeyState));
    }

    [Fact]
    public async Task A_changed_key_is_never_accepted_directly_by_one_person()
    {
        await _console.Registration.SaveAsync(sshd.Registration("prod-ssh"), ClustersHost.Olivia, CancellationToken.None);
        await File.WriteAllTextAsync(_console.Get<ClusterPaths>().KnownHostsFile("prod-ssh"), $"{sshd.Server.KnownHostsName} {sshd.Server.OtherHostKey}\n");

        var report = await _console.ConnectionTest.RunAsync("prod-ssh", CancellationToken.None);
        Assert.All(report.Hosts, h => Assert.Equal(HostKeyState.Changed, h.HostKeyState));
        Assert.All(report.Hosts, h => Assert.Equal(CheckState.NotChecked, h.Login.State));

        var offered = Assert.Single(await _console.Trust.ScanAsync("prod-ssh", "master-1", CancellationToken.None));
        Assert.Equal(sshd.Server.HostKeyFingerprint, offered.Fingerprint);
        var old = Assert.Single(await _console.Trust.TrustedAsync("prod-ssh", "master-1", CancellationToken.None)).Fingerprint;
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _console.Trust.AcceptAsync("prod-ssh", "master-1", offered.Fingerprint, ClustersHost.Olivia, CancellationToken.None));

        Assert.Equal($"master-1 already has a trusted key ({old}); trusting ED25519 {offered.Fingerprint} instead would replace it. " +
            "Nothing was trusted: request a replacement, which a second person with the approver role must approve.", refused.Message);
        Assert.Equal(old, Assert.Single(await _console.Trust.TrustedAsync("prod-ssh", "master-1", CancellationToken.None)).Fingerprint);
        Assert.Empty(await _console.AuditAsync(AuditKinds.HostKeyAccepted));
    }

    [Fact]
    public async Task An_unreachable_port_and_a_refused_key_read_as_different_sentences()
    {
        var request = sshd.Registration("prod-ssh") with { SshPort = Transports.Ssh.Tests.Fixtures.SshdServer.FreePort() };
        await _console.Registration.SaveAsync(request, ClustersHost.Olivia, CancellationToken.None);

        var unreachable = await _console.ConnectionTest.RunAsync("prod-ssh", CancellationToken.None);
        Assert.All(unreachable.Hosts, h =>
        {
            Assert.Equal(CheckState.Failed, h.Reachable.State);
            Assert.Contains("refused the connection", h.Reachable.Sentence, StringComparison.Ordinal);
            Assert.Equal(CheckState.NotChecked, h.Login.State);
        });

        // The right port, the host key trusted, but a key that is not in authorized_keys: reached, key known, login refused.
        await _console.Registration.SaveAsync(sshd.Registration("prod-ssh") with { PrivateKey = File.ReadAllText(sshd.Server.WrongKeyPath) },
            ClustersHost.Olivia, CancellationToken.None);
        await _console.Trust.AcceptAsync("prod-ssh", "master-0", sshd.Server.HostKeyFingerprint, ClustersHost.Olivia, CancellationToken.None);
        var refused = await _console.ConnectionTest.RunAsync("prod-ssh", CancellationToken.None);
        Assert.All(refused.Hosts, h =>
        {
            Assert.Equal(CheckState.Passed, h.Reachable.State);
            Assert.Equal(HostKeyState.Known, h.HostKeyState);
            Assert.Equal(CheckState.Failed, h.Login.State);
        });
    }
}
