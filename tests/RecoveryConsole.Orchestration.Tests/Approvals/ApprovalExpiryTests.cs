using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

[Trait("Category", "Security")]
public sealed class ApprovalExpiryTests
{
    private const string Restore = """
          - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
        """;

    [Fact]
    public async Task An_approval_request_lasts_thirty_minutes_by_default_on_the_consoles_clock()
    {
        var clock = new ShiftedClock();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(new ScriptedHosts(), new NoApi()), TestProcedure.With(Restore), time: clock);
        var id = await engine.StartRunAsync(Support.Engine.Olivia);

        var approval = Assert.Single((await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval)).Approvals);

        Assert.Equal(TimeSpan.FromMinutes(30), approval.ExpiresAt - approval.RequestedAt);
        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "test over", CancellationToken.None);
    }

    [Fact]
    public async Task An_expired_request_cannot_be_approved_it_is_audited_and_asked_again()
    {
        var hosts = new ScriptedHosts();
        var clock = new ShiftedClock();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Restore),
            configure: o => o.ApprovalLifetime = TimeSpan.FromMinutes(5), time: clock);
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        clock.Advance(TimeSpan.FromMinutes(6));
        var refused = await Assert.ThrowsAsync<ApprovalExpiredException>(() =>
            engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "late but fine", CancellationToken.None));

        Assert.Contains("expired", refused.Message);
        var again = await engine.WaitForAsync(id, r => r.Approvals.Count == 2 && r.Status == RunStatus.WaitingForApproval, "a new request");
        Assert.Equal(ApprovalDecision.Expired, again.Approvals[0].Decision);
        Assert.Null(again.Approvals[0].DecidedBy);
        Assert.Equal(ApprovalDecision.Pending, again.Approvals[1].Decision);
        Assert.Empty(hosts.Sent);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalExpired);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalRefused && e.Actor == "arjun" && e.Detail.Contains("expired", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.ApprovalDecided);

        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "looked again", CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(1, hosts.Count("cluster-restore.sh"));
    }
}
