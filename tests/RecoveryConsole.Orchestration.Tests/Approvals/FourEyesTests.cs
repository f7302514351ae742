using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

public sealed class FourEyesTests
{
    private const string Destructive = """
          - { id: restore, title: Run the restore script, section: "5.3.2.2 step 8", destructive: true, on: recoveryHost, run: "cluster-restore.sh /home/core/assets/backup" }
        """;

    [Fact]
    public async Task A_destructive_step_sends_nothing_until_a_second_person_approves()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);

        var waiting = await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        await Task.Delay(100);
        Assert.Empty(hosts.Sent);
        Assert.Equal(StepStatus.WaitingForApproval, waiting.FindStep("restore")!.Status);

        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "backup checked", CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Single(hosts.Sent);
        var approval = Assert.Single(run.Approvals);
        Assert.Equal(("olivia", "arjun", ApprovalDecision.Approved, "backup checked"), (approval.RequestedBy, approval.DecidedBy, approval.Decision, approval.Reason));
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalDecided && e.Actor == "arjun");
    }

    [Fact]
    public async Task The_person_who_started_the_run_cannot_approve_it_even_with_the_approver_role()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive));
        var id = await engine.StartRunAsync(Support.Engine.OperatorApprover);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        var refused = await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAsync(id, "restore", Support.Engine.OperatorApprover with { UserName = "OSCAR" }, null, CancellationToken.None));

        Assert.Contains("second person", refused.Message);
        Assert.Empty(hosts.Sent);
        Assert.Equal(RunStatus.WaitingForApproval, (await engine.Repository.GetAsync(id, CancellationToken.None))!.Status);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalRefused && e.Actor == "OSCAR");
    }

    [Fact]
    public async Task Only_the_approver_role_may_approve()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAsync(id, "restore", new Actor("otto", [Roles.Operator]), null, CancellationToken.None));
        await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAsync(id, "restore", Support.Engine.Vera, null, CancellationToken.None));

        Assert.Empty(hosts.Sent);
    }

    [Fact]
    public async Task A_rejection_fails_the_run_with_the_reason_and_sends_nothing()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        await Assert.ThrowsAsync<ApprovalRefusedException>(() => engine.Runs.RejectAsync(id, "restore", Support.Engine.Arjun, " ", CancellationToken.None));
        await engine.Runs.RejectAsync(id, "restore", Support.Engine.Arjun, "wrong backup: it is from another z-stream", CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Failed);

        Assert.Empty(hosts.Sent);
        Assert.Equal("Rejected by arjun: wrong backup: it is from another z-stream", run.StatusReason);
    }

    [Fact]
    public async Task One_approval_of_a_destructive_group_covers_every_host_of_it()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: stop
                title: Stop static pods
                section: "4"
                destructive: true
                forEach: { hosts: controlPlaneHosts, except: recoveryHost }
                steps:
                  - { id: move, title: Move manifest, section: "4.2", destructive: true, run: "mv etcd-pod.yaml /tmp" }
            """));
        var id = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        await engine.Runs.ApproveAsync(id, "stop", Support.Engine.Arjun, null, CancellationToken.None);

        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Equal(2, hosts.Sent.Count);
        Assert.Single(run.Approvals);
    }

    [Fact]
    public async Task Operators_start_runs_and_viewers_cannot()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive));

        var refused = await Assert.ThrowsAsync<NotAllowedException>(() => engine.StartRunAsync(Support.Engine.Vera));

        Assert.Contains("operator", refused.Message);
        Assert.Empty(await engine.Repository.ListAsync(new RunQuery(), CancellationToken.None));
    }
}
