using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>
/// compute: INITIAL_CLUSTER built from the hosts the operator chose, shown for review and used only once confirmed;
/// a value that comes out empty or still holds a placeholder stops the run before anything uses it.
/// </summary>
[Trait("Category", "Security")]
public sealed class ComputeTests
{
    private const string Parameters = """
          - { name: recoveryHosts, type: hostList, from: controlPlaneHosts }
        """;

    [Fact]
    public async Task Initial_cluster_is_built_from_the_chosen_hosts_shown_for_review_and_used_only_once_confirmed()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: initial-cluster
                title: Build INITIAL_CLUSTER
                section: "3.3.1 step 5"
                compute:
                  initialCluster: { forEach: recoveryHosts, item: "etcd-member-{{ item.name }}=https://{{ item.address }}:2380" }
                  recoveryPeer: "{{ recoveryHost.name }}:2380"
                review: true
              - id: restore
                title: Restore
                section: "3.3.1 step 6"
                on: recoveryHost
                env: { INITIAL_CLUSTER: "{{ initialCluster }}" }
                run: restore.sh {{ recoveryPeer }}
            """, Parameters));
        const string expected = "etcd-member-m2=https://127.0.0.1:2380,etcd-member-m0=https://127.0.0.1:2380";

        var id = await engine.StartRunAsync(parameters: new() { ["recoveryHost"] = "m2", ["recoveryHosts"] = "m2,m0" });
        var waiting = await engine.WaitForAsync(id, r => r.FindStep("initial-cluster")?.Status == StepStatus.WaitingForOperator, "the review");

        Assert.Contains($"initialCluster = {expected}", waiting.FindStep("initial-cluster")!.Message);
        Assert.Contains("recoveryPeer = m2:2380", waiting.FindStep("initial-cluster")!.Message);
        Assert.Empty(hosts.Sent); // nothing used it yet
        await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.ConfirmAsync(id, "initial-cluster", Support.Engine.Olivia, " ", CancellationToken.None));
        await Assert.ThrowsAsync<NotAllowedException>(() => engine.Runs.ConfirmAsync(id, "initial-cluster", Support.Engine.Vera, "looks right", CancellationToken.None));
        await engine.Runs.ConfirmAsync(id, "initial-cluster", Support.Engine.Olivia, "members and peer URLs checked", CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        var sent = Assert.Single(hosts.Sent);
        Assert.Equal("m2", sent.Host);
        Assert.Contains($"INITIAL_CLUSTER={expected}", sent.Command);
        Assert.EndsWith("restore.sh m2:2380", sent.Command);
        Assert.Equal("olivia", run.FindStep("initial-cluster")!.ConfirmedBy);
        Assert.Contains(expected, run.FindStep("initial-cluster")!.OutputsJson);
        var reviewed = Assert.Single(await engine.Audit.ListAsync(id, CancellationToken.None), e => e.Kind == AuditKinds.ValueReviewed);
        Assert.Equal("olivia", reviewed.Actor);
        Assert.Contains($"initialCluster = {expected}", reviewed.Detail);
        Assert.Contains(await engine.TranscriptAsync(id), l => l.Text.StartsWith($"Reviewed and confirmed by olivia: initialCluster = {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_review_the_value_is_written_to_the_transcript_and_used_at_once()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: peers
                title: Peers
                section: "3.3.1"
                compute:
                  peers: { forEach: controlPlaneHosts, as: member, join: " ", item: "{{ member.name }}@{{ member.address }}" }
              - { id: use, title: Use, section: "3.3.1", on: recoveryHost, run: "echo {{ peers }}" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal("echo 'm0@127.0.0.1 m1@127.0.0.1 m2@127.0.0.1'", Assert.Single(hosts.Sent).Command);
        Assert.Contains(await engine.TranscriptAsync(run.Id), l => l.Text == "Computed peers = m0@127.0.0.1 m1@127.0.0.1 m2@127.0.0.1");
    }

    [Fact]
    public async Task A_value_that_renders_empty_fails_the_step_in_words_and_nothing_uses_it()
    {
        var hosts = new ScriptedHosts().When("list-members", 0);
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: members, title: Members, section: "3.3.1", on: recoveryHost, run: list-members, capture: { members: lines } }
              - id: initial-cluster
                title: Build INITIAL_CLUSTER
                section: "3.3.1 step 5"
                compute:
                  initialCluster: { forEach: members, item: "etcd-member-{{ item }}" }
                review: true
              - { id: restore, title: Restore, section: "3.3.1", on: recoveryHost, run: "restore.sh {{ initialCluster }}" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Equal("initialCluster rendered empty: 'members' has no item, so no later step can use it.", run.StatusReason);
        Assert.Equal(StepStatus.Failed, run.FindStep("initial-cluster")!.Status);
        Assert.Equal(0, hosts.Count("restore.sh"));
    }

    [Fact]
    public async Task A_value_that_still_holds_a_placeholder_fails_the_step_and_is_never_used()
    {
        // A host printed template syntax: the computed text would carry it into a command unrendered.
        var hosts = new ScriptedHosts().When("hostname", 0, "{{ peer }}.example.com");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: name, title: Name, section: "3.3.1", on: recoveryHost, run: hostname, capture: { fqdn: output } }
              - id: peer
                title: Peer URL
                section: "3.3.1"
                compute:
                  peerUrl: "https://{{ fqdn }}:2380"
              - { id: restore, title: Restore, section: "3.3.1", on: recoveryHost, run: "restore.sh {{ peerUrl }}" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.StartsWith("peerUrl still contains an unresolved template ('{{ peer }}.example.com:2380'); it is not used.", run.StatusReason);
        Assert.Equal(0, hosts.Count("restore.sh"));
    }

    [Fact]
    public async Task A_chosen_host_that_is_not_in_the_cluster_is_refused_by_name()
    {
        var hosts = new ScriptedHosts().When("list-members", 0, "m0", "m9");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: members, title: Members, section: "3.3.1", on: recoveryHost, run: list-members, capture: { members: lines } }
              - id: initial-cluster
                title: Build INITIAL_CLUSTER
                section: "3.3.1 step 5"
                compute:
                  initialCluster: { forEach: members, item: "etcd-member-{{ item.name }}=https://{{ item.address }}:2380" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Equal("initialCluster: 'm9' (from members) is not a host of test-cluster, so it has no name and address.", run.StatusReason);
    }
}
