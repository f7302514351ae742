using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

/// <summary>Roles held on the run's cluster decide, on the server; lab demo accounts never act on a real cluster.</summary>
[Trait("Category", "Security")]
public sealed class ClusterRolesTests
{
    private const string Destructive = """
          - { id: restore, title: Run the restore script, section: "5.3.2.2 step 8", destructive: true, on: recoveryHost, run: "cluster-restore.sh /home/core/assets/backup" }
        """;

    private static readonly Actor DemoOperator = new("olivia", [Roles.Operator, Roles.Approver]) { IsDemo = true };

    private static Actor With(Actor actor, params string[] rolesOnTestCluster) =>
        actor with { ClusterRoles = new Dictionary<string, IReadOnlyCollection<string>> { [TestCluster.Name] = rolesOnTestCluster } };

    [Fact]
    public async Task A_demo_account_cannot_start_a_run_on_a_real_cluster_but_can_on_a_simulated_one()
    {
        var hosts = new ScriptedHosts();
        await using (var real = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive)))
        {
            var refused = await Assert.ThrowsAsync<NotAllowedException>(() => real.StartRunAsync(DemoOperator));
            Assert.Contains("lab demo account and may not start a run on test-cluster, a real cluster", refused.Message);
            Assert.Empty(await real.Repository.ListAsync(new RunQuery(), CancellationToken.None));
        }

        await using var lab = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi(), simulated: true), TestProcedure.With(Destructive));
        var id = await lab.StartRunAsync(DemoOperator);
        await lab.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
    }

    [Fact]
    public async Task A_demo_approver_cannot_approve_on_a_real_cluster()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        var demoApprover = new Actor("arjun", [Roles.Approver]) { IsDemo = true };
        var refused = await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAsync(id, "restore", demoApprover, null, CancellationToken.None));

        Assert.Contains("does not have the approver role", refused.Message);
        Assert.Empty(hosts.Sent);
        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "test over", CancellationToken.None);
    }

    [Fact]
    public async Task Roles_on_the_cluster_replace_the_global_roles_for_starting_approving_and_cancelling()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Destructive));

        // An operator elsewhere, only a viewer here.
        var viewerHere = With(Support.Engine.Olivia, Roles.Viewer);
        var refused = await Assert.ThrowsAsync<NotAllowedException>(() => engine.StartRunAsync(viewerHere));
        Assert.Contains("may not start a run on test-cluster: the operator role is needed", refused.Message);

        // A viewer elsewhere, an operator here.
        var operatorHere = With(Support.Engine.Vera, Roles.Operator);
        var id = await engine.StartRunAsync(operatorHere);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        var noApproverHere = With(Support.Engine.Arjun, Roles.Viewer);
        var notApprover = await Assert.ThrowsAsync<ApprovalRefusedException>(() => engine.Runs.ApproveAsync(id, "restore", noApproverHere, null, CancellationToken.None));
        Assert.Contains("does not have the approver role", notApprover.Message);
        var noCancel = await Assert.ThrowsAsync<NotAllowedException>(() => engine.Runs.CancelAsync(id, viewerHere, "not mine", CancellationToken.None));
        Assert.Contains("may not cancel a run on test-cluster", noCancel.Message);

        var approverHere = With(new Actor("vik", [Roles.Viewer]), Roles.Approver);
        await engine.Runs.ApproveAsync(id, "restore", approverHere, "checked", CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal("vik", Assert.Single(run.Approvals).DecidedBy);
    }

    [Fact]
    public void Who_may_see_a_cluster_follows_the_roles_held_on_it()
    {
        var noAccessHere = With(Support.Engine.Olivia);

        Assert.True(Support.Engine.Vera.MaySee(TestCluster.Name, isSimulated: false));
        Assert.False(noAccessHere.MaySee(TestCluster.Name, isSimulated: false));
        Assert.True(noAccessHere.MaySee("other-cluster", isSimulated: false));
        Assert.False(DemoOperator.MaySee("prod-1", isSimulated: false));
        Assert.True(DemoOperator.MaySee("lab-ocp4", isSimulated: true));
    }
}
