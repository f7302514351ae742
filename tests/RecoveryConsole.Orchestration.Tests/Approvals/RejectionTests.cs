using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

[Trait("Category", "Security")]
public sealed class RejectionTests
{
    [Fact]
    public async Task A_rejection_is_final_a_resume_is_refused_and_audited_as_a_refusal()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
            """));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        await engine.Runs.RejectAsync(id, "restore", Support.Engine.Arjun, "wrong backup", CancellationToken.None);
        await engine.WaitForAsync(id, r => r.Status == RunStatus.Failed && !engine.Runs.IsActive(id), "failed and finished");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            engine.Runs.ResumeAsync(id, Support.Engine.Olivia, "I think it is fine after all", CancellationToken.None));

        Assert.Equal("Step restore was rejected by arjun: wrong backup. A rejection is final for this run: start a new run.", refused.Message);
        await Task.Delay(100);
        var run = (await engine.Repository.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Single(run.Approvals); // not asked again
        Assert.Empty(hosts.Sent);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.RunResumed);
        Assert.Contains(audit, e => e.Kind == AuditKinds.CommandRefused && e.Actor == "olivia" && e.Detail.StartsWith("resume: Step restore was rejected", StringComparison.Ordinal));
    }
}
