using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

/// <summary>An approval covers exactly what will run: rendered commands, hosts, cluster and values, by hash.</summary>
[Trait("Category", "Security")]
public sealed class ApprovalBindingTests
{
    [Fact]
    public async Task The_approval_stores_the_rendered_command_with_captured_values_and_a_stale_review_is_refused()
    {
        var hosts = new ScriptedHosts().When("ls /backups", 0, "snapshot_2026-12-01.db");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: find, title: Find the backup, section: "1", on: recoveryHost, run: "ls /backups", capture: { snapshot: output } }
              - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh /backups/{{ snapshot }}" }
            """));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        var waiting = await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        var approval = Assert.Single(waiting.Approvals);

        Assert.Contains("restore on m0: $ cluster-restore.sh /backups/snapshot_2026-12-01.db", approval.BindingText);
        Assert.Contains("hosts m0 127.0.0.1", approval.BindingText);
        Assert.Contains("cluster test-cluster", approval.BindingText);
        Assert.Contains("value snapshot = snapshot_2026-12-01.db", approval.BindingText);
        Assert.Equal(64, approval.BindingHash!.Length);

        var stale = await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None, reviewedBinding: new string('0', 64)));
        Assert.Contains("not what you reviewed", stale.Message);
        Assert.Equal(0, hosts.Count("cluster-restore.sh"));

        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None, reviewedBinding: approval.BindingHash);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(["ls /backups", "cluster-restore.sh /backups/snapshot_2026-12-01.db"], hosts.CommandsOn("m0"));
    }

    [Fact]
    public async Task If_the_target_differs_when_the_step_starts_the_approval_is_void_and_the_step_waits_again()
    {
        var hosts = new ScriptedHosts();
        var cluster = new MovableCluster(hosts);
        await using var engine = await Support.Engine.StartAsync(cluster, TestProcedure.With("""
              - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh --etcd {{ host.address }}" }
            """));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        var first = Assert.Single((await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval)).Approvals);
        Assert.Contains("cluster-restore.sh --etcd 10.0.0.5", first.BindingText);

        // While the approval waits, the host the run targets is given another address (the definition the run uses changed).
        cluster.Move("m0", "10.0.0.9");
        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "approved for 10.0.0.5", CancellationToken.None);

        var again = await engine.WaitForAsync(id, r => r.Approvals.Count == 2 && r.Status == RunStatus.WaitingForApproval, "a second request");
        Assert.Empty(hosts.Sent);
        Assert.Equal(ApprovalDecision.Void, again.Approvals[0].Decision);
        Assert.Contains("changed since it was approved", again.Approvals[0].Reason);
        Assert.Contains("cluster-restore.sh --etcd 10.0.0.9", again.Approvals[1].BindingText);
        Assert.NotEqual(first.BindingHash, again.Approvals[1].BindingHash);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalVoided && e.Detail.Contains("10.0.0.9", StringComparison.Ordinal));
        Assert.Contains(await engine.TranscriptAsync(id), l => l.Text.StartsWith("The approval by arjun is void", StringComparison.Ordinal));

        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "approved for 10.0.0.9", CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(["cluster-restore.sh --etcd 10.0.0.9"], hosts.CommandsOn("m0"));
    }

    [Fact]
    public async Task A_destructive_loop_is_approved_item_by_item_as_each_will_run()
    {
        var hosts = new ScriptedHosts().When("list", 0, "csr-a", "csr-b");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: list, title: List, section: "1", on: recoveryHost, run: "list", capture: { csrs: lines } }
              - id: approve
                title: Approve the CSRs
                section: "2"
                destructive: true
                on: recoveryHost
                forEach: { items: csrs, as: csr }
                run: "oc adm certificate approve {{ csr }}"
            """));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);

        var approval = Assert.Single((await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval)).Approvals);

        Assert.Contains("item csr-a\napprove on m0: $ oc adm certificate approve csr-a\nitem csr-b\napprove on m0: $ oc adm certificate approve csr-b", approval.BindingText);
        await engine.Runs.ApproveAsync(id, "approve", Support.Engine.Arjun, null, CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(2, hosts.Count("oc adm certificate approve"));
    }

    [Fact]
    public async Task A_secret_used_by_the_step_is_redacted_in_what_the_approval_stores_and_still_sent()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh --password {{ password }}" }
            """, parameters: "  - { name: password, type: string, secret: true }"));
        var id = await engine.StartRunAsync(Support.Engine.Olivia, new() { ["password"] = "kubeadmin-S3cret-pass" });

        var approval = Assert.Single((await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval)).Approvals);

        Assert.DoesNotContain("S3cret", approval.BindingText);
        Assert.Contains("cluster-restore.sh --password [REDACTED]", approval.BindingText);
        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None, approval.BindingHash);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(["cluster-restore.sh --password kubeadmin-S3cret-pass"], hosts.CommandsOn("m0"));
        Assert.DoesNotContain(await engine.Audit.ListAsync(id, CancellationToken.None), e => e.Detail.Contains("S3cret", StringComparison.Ordinal));
    }

    /// <summary>A cluster whose host addresses the test changes while a run uses it.</summary>
    private sealed class MovableCluster(IHostTransport hosts) : IClusterRegistry
    {
        private readonly List<HostInfo> _hosts =
        [
            new("m0", "10.0.0.5", [HostRoles.ControlPlane]),
            new("m1", "10.0.0.6", [HostRoles.ControlPlane]),
            new("m2", "10.0.0.7", [HostRoles.ControlPlane]),
        ];

        private ClusterInfo Info => new() { Name = TestCluster.Name, Version = "4.16.12", Hosts = _hosts };

        public void Move(string host, string address)
        {
            var index = _hosts.FindIndex(h => h.Name == host);
            _hosts[index] = _hosts[index] with { Address = address };
        }

        public IReadOnlyList<ClusterInfo> List() => [Info];

        public ClusterConnection? Find(string name) => name == TestCluster.Name ? new ClusterConnection(Info, hosts, new NoApi()) : null;
    }
}
