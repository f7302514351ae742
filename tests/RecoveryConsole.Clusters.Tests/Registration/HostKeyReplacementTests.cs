using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Transports.Ssh.Checks;

namespace RecoveryConsole.Clusters.Tests.Registration;

/// <summary>
/// Replacing a trusted host key against a real sshd whose key is not the trusted one: one person requests, a different
/// person with the approver role approves; the requester, a non-approver and a stale request are refused, all audited.
/// </summary>
[Collection(SshClusterCollection.Name)]
[Trait("Category", "Ssh")]
[Trait("Category", "Security")]
public sealed class HostKeyReplacementTests(SshClusterFixture sshd) : IAsyncLifetime
{
    /// <summary>An operator who is also an approver: only being a second person stops them approving their own request.</summary>
    private static readonly Actor Oscar = new("oscar", [Roles.Operator, Roles.Approver]);

    private ClustersHost _console = null!;
    private string _old = "";

    private HostKeyReplacements Replacements => _console.Get<HostKeyReplacements>();

    public async Task InitializeAsync()
    {
        _console = await ClustersHost.StartAsync(lab: false);
        await _console.Registration.SaveAsync(sshd.Registration("prod-ssh"), ClustersHost.Olivia, CancellationToken.None);
        // The console trusts another key than the one the host offers: the host was reinstalled, or someone is in between.
        await File.WriteAllTextAsync(_console.Get<ClusterPaths>().KnownHostsFile("prod-ssh"), $"{sshd.Server.KnownHostsName} {sshd.Server.OtherHostKey}\n");
        _old = Assert.Single(await _console.Trust.TrustedAsync("prod-ssh", "master-1", CancellationToken.None)).Fingerprint;
    }

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private async Task<string> TrustedNowAsync() => Assert.Single(await _console.Trust.TrustedAsync("prod-ssh", "master-1", CancellationToken.None)).Fingerprint;

    [Fact]
    public async Task The_requester_and_a_non_approver_are_refused_and_a_second_approver_applies_the_replacement()
    {
        var request = await Replacements.RequestAsync("prod-ssh", "master-1", sshd.Server.HostKeyFingerprint, "master-1 reinstalled on Tuesday (CHG-1234)", Oscar, CancellationToken.None);

        Assert.Equal(_old, await TrustedNowAsync());
        Assert.Equal([request], Replacements.Pending("prod-ssh"));
        var requested = Assert.Single(await _console.AuditAsync(AuditKinds.HostKeyReplacementRequested));
        Assert.Equal("oscar", requested.Actor);
        Assert.Equal($"prod-ssh/master-1: ED25519 {sshd.Server.HostKeyFingerprint} instead of {_old}, requested by oscar (master-1 reinstalled on Tuesday (CHG-1234))", requested.Detail);

        var own = await Assert.ThrowsAsync<ApprovalRefusedException>(() => Replacements.ApproveAsync(request.Id, Oscar, CancellationToken.None));
        Assert.Equal("oscar requested this host key replacement and cannot approve it: a second person must.", own.Message);
        var operatorOnly = await Assert.ThrowsAsync<ApprovalRefusedException>(() => Replacements.ApproveAsync(request.Id, ClustersHost.Olivia, CancellationToken.None));
        Assert.Equal("olivia does not have the approver role and may not approve a host key replacement.", operatorOnly.Message);
        // An approver elsewhere who is only a viewer on this cluster is not an approver here.
        var viewerHere = ClustersHost.Arjun with { ClusterRoles = new Dictionary<string, IReadOnlyCollection<string>> { ["prod-ssh"] = [Roles.Viewer] } };
        var elsewhere = await Assert.ThrowsAsync<ApprovalRefusedException>(() => Replacements.ApproveAsync(request.Id, viewerHere, CancellationToken.None));
        Assert.Equal("arjun does not have the approver role and may not approve a host key replacement.", elsewhere.Message);
        Assert.Equal(_old, await TrustedNowAsync());
        Assert.Equal(["oscar", "olivia", "arjun"], (await _console.AuditAsync(AuditKinds.HostKeyReplacementRefused)).Select(e => e.Actor));
        Assert.Empty(await _console.AuditAsync(AuditKinds.HostKeyAccepted));

        var replaced = await Replacements.ApproveAsync(request.Id, ClustersHost.Arjun, CancellationToken.None);

        Assert.Equal([_old], replaced.Replaced);
        Assert.Equal(sshd.Server.HostKeyFingerprint, await TrustedNowAsync());
        Assert.Empty(Replacements.Pending("prod-ssh"));
        var accepted = Assert.Single(await _console.AuditAsync(AuditKinds.HostKeyAccepted));
        Assert.Equal("arjun", accepted.Actor);
        Assert.EndsWith($"ED25519 {sshd.Server.HostKeyFingerprint}, replacing {_old}; requested by oscar (master-1 reinstalled on Tuesday (CHG-1234)), approved by arjun",
            accepted.Detail, StringComparison.Ordinal);
        var after = await _console.ConnectionTest.RunAsync("prod-ssh", CancellationToken.None);
        Assert.True(after.Hosts.Single(h => h.Host == "master-1").AllPassed, after.Hosts.Single(h => h.Host == "master-1").Login.Sentence);
        Assert.Null(await _console.Get<IAuditLog>().FindFirstBrokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_viewer_cannot_request_and_a_request_needs_a_reason_and_a_key_the_host_offers()
    {
        await Assert.ThrowsAsync<NotAllowedException>(() =>
            Replacements.RequestAsync("prod-ssh", "master-1", sshd.Server.HostKeyFingerprint, "rotated", ClustersHost.Vera, CancellationToken.None));
        var noReason = await Assert.ThrowsAsync<ArgumentException>(() =>
            Replacements.RequestAsync("prod-ssh", "master-1", sshd.Server.HostKeyFingerprint, " ", ClustersHost.Olivia, CancellationToken.None));
        Assert.StartsWith("Say why the key changed", noReason.Message, StringComparison.Ordinal);
        const string forged = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var notOffered = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Replacements.RequestAsync("prod-ssh", "master-1", forged, "rotated", ClustersHost.Olivia, CancellationToken.None));
        Assert.StartsWith($"master-1 does not offer a key with fingerprint {forged}", notOffered.Message, StringComparison.Ordinal);
        Assert.Empty(Replacements.Pending("prod-ssh"));
        Assert.Empty(await _console.AuditAsync(AuditKinds.HostKeyReplacementRequested));
        Assert.Equal(_old, await TrustedNowAsync());
    }

    [Fact]
    public async Task A_rejected_request_changes_nothing_and_a_request_overtaken_by_a_changed_known_hosts_is_dropped()
    {
        var first = await Replacements.RequestAsync("prod-ssh", "master-1", sshd.Server.HostKeyFingerprint, "rotated keys", ClustersHost.Olivia, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Replacements.RequestAsync("prod-ssh", "master-1", sshd.Server.HostKeyFingerprint, "again", Oscar, CancellationToken.None));
        await Replacements.RejectAsync(first.Id, ClustersHost.Arjun, "no change ticket for this host", CancellationToken.None);

        Assert.Empty(Replacements.Pending("prod-ssh"));
        Assert.Equal(_old, await TrustedNowAsync());
        Assert.EndsWith(": rejected: no change ticket for this host", Assert.Single(await _console.AuditAsync(AuditKinds.HostKeyReplacementRejected)).Detail, StringComparison.Ordinal);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Replacements.ApproveAsync(first.Id, ClustersHost.Arjun, CancellationToken.None));

        // Requested against one trusted key; by approval time known_hosts holds something else: the approver would approve blind.
        var second = await Replacements.RequestAsync("prod-ssh", "master-1", sshd.Server.HostKeyFingerprint, "rotated keys", ClustersHost.Olivia, CancellationToken.None);
        await File.WriteAllTextAsync(_console.Get<ClusterPaths>().KnownHostsFile("prod-ssh"), ""); // someone removed the trusted key meanwhile
        var stale = await Assert.ThrowsAsync<InvalidOperationException>(() => Replacements.ApproveAsync(second.Id, ClustersHost.Arjun, CancellationToken.None));

        Assert.StartsWith("Nothing was trusted and the request was dropped: the keys trusted for the host changed since it was requested", stale.Message, StringComparison.Ordinal);
        Assert.Empty(await _console.Trust.TrustedAsync("prod-ssh", "master-1", CancellationToken.None));
        Assert.Empty(Replacements.Pending("prod-ssh"));
        Assert.Empty(await _console.AuditAsync(AuditKinds.HostKeyAccepted));
        Assert.Contains(await _console.AuditAsync(AuditKinds.HostKeyReplacementRefused), e => e.Actor == "arjun" && e.Detail.Contains("dropped", StringComparison.Ordinal));
    }
}
