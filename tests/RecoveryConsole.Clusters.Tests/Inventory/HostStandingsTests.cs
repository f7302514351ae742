using RecoveryConsole.Clusters.Inventory;
using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Clusters.Tests.Support;

namespace RecoveryConsole.Clusters.Tests.Inventory;

/// <summary>
/// The host-key state shown next to the wizard's host choices, read from the cluster's own known_hosts against a real
/// sshd: no key yet, then the accepted key, then a replacement waiting for an approver.
/// </summary>
[Collection(SshClusterCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class HostStandingsTests(SshClusterFixture sshd) : IAsyncLifetime
{
    private ClustersHost _console = null!;

    private HostStandings Standings => _console.Get<HostStandings>();

    public async Task InitializeAsync()
    {
        _console = await ClustersHost.StartAsync(lab: false);
        await _console.Registration.SaveAsync(sshd.Registration("prod-ssh"), ClustersHost.Olivia, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private async Task<HostStanding> OfAsync(string host) =>
        Assert.Single(await Standings.OfAsync("prod-ssh", [host], CancellationToken.None));

    [Fact]
    public async Task A_host_without_a_trusted_key_says_so_then_shows_the_accepted_fingerprint_then_a_pending_replacement()
    {
        var before = await OfAsync("master-0");
        Assert.Equal(HostKeyTrustState.NotTrusted, before.KeyState);
        Assert.Contains("no trusted host key", before.KeyText, StringComparison.Ordinal);
        Assert.Null(before.LastAnswered);
        Assert.Equal("never answered a run's command", before.LastAnsweredText(DateTimeOffset.UtcNow));

        await _console.Trust.AcceptAsync("prod-ssh", "master-0", sshd.Server.HostKeyFingerprint, ClustersHost.Olivia, CancellationToken.None);

        var trusted = await OfAsync("master-0");
        Assert.Equal(HostKeyTrustState.Trusted, trusted.KeyState);
        Assert.Equal($"key trusted: ssh-ed25519 {sshd.Server.HostKeyFingerprint}", trusted.KeyText);

        // The host now offers another key than the trusted one, and someone asks to trust it.
        await File.WriteAllTextAsync(_console.Get<ClusterPaths>().KnownHostsFile("prod-ssh"), $"{sshd.Server.KnownHostsName} {sshd.Server.OtherHostKey}\n");
        await _console.Get<HostKeyReplacements>().RequestAsync("prod-ssh", "master-1", sshd.Server.HostKeyFingerprint, "reinstalled (CHG-1)", ClustersHost.Olivia, CancellationToken.None);

        var pending = await OfAsync("master-1");
        Assert.Equal(HostKeyTrustState.ReplacementPending, pending.KeyState);
        Assert.Equal($"key replacement by olivia waits for an approver ({sshd.Server.HostKeyFingerprint})", pending.KeyText);
    }
}
