using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

/// <summary>The night nobody else is awake: an operator approves alone, loudly, and a second person reviews it afterwards.</summary>
[Trait("Category", "Security")]
public sealed class BreakGlassTests
{
    private const string Restore = """
          - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
        """;

    private const string Justification = "Production API down since 02:10, no approver reachable by phone; restore cannot wait.";

    [Fact]
    public async Task Break_glass_is_refused_unless_an_admin_enabled_it()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Restore));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        var refused = await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAloneAsync(id, "restore", Support.Engine.Olivia, Justification, CancellationToken.None));

        Assert.Contains("Break-glass is disabled", refused.Message);
        Assert.Empty(hosts.Sent);
        var run = await engine.Repository.GetAsync(id, CancellationToken.None);
        Assert.Equal(ApprovalDecision.Pending, Assert.Single(run!.Approvals).Decision);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalRefused && e.Actor == "olivia" && e.Detail.Contains("disabled", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.ApprovalBreakGlass);
        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "test over", CancellationToken.None);
    }

    [Fact]
    public async Task When_enabled_an_operator_of_the_run_approves_alone_with_a_justification_and_it_is_listed_until_reviewed()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Restore),
            configure: o => o.BreakGlassEnabled = true);
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        var bare = await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.ApproveAloneAsync(id, "restore", Support.Engine.Olivia, "urgent", CancellationToken.None));
        Assert.Contains($"at least {ApprovalPolicy.MinimumJustification} characters", bare.Message);
        await Assert.ThrowsAsync<NotAllowedException>(() => engine.Runs.ApproveAloneAsync(id, "restore", Support.Engine.Vera, Justification, CancellationToken.None));
        Assert.Empty(hosts.Sent);

        await engine.Runs.ApproveAloneAsync(id, "restore", Support.Engine.Olivia, Justification, CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Equal(1, hosts.Count("cluster-restore.sh"));
        var approval = Assert.Single(run.Approvals);
        Assert.Equal((true, "olivia", Justification, (string?)null), (approval.BreakGlass, approval.DecidedBy, approval.Reason, approval.ReviewedBy));
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalBreakGlass && e.Actor == "olivia" && e.Detail.Contains(Justification, StringComparison.Ordinal));
        Assert.Contains(await engine.TranscriptAsync(id), l => l.Text.StartsWith("BREAK-GLASS: approved alone by olivia", StringComparison.Ordinal));
        var listed = await engine.Repository.ListAsync(new RunQuery { AwaitingBreakGlassReview = true }, CancellationToken.None);
        Assert.Equal([id], listed.Select(r => r.Id));

        var own = await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ReviewBreakGlassAsync(id, approval.Id, Support.Engine.Olivia with { Roles = [Roles.Approver] }, "fine", CancellationToken.None));
        Assert.Contains("cannot review it", own.Message);
        await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ReviewBreakGlassAsync(id, approval.Id, Support.Engine.Vera, "fine", CancellationToken.None));
        Assert.Single(await engine.Repository.ListAsync(new RunQuery { AwaitingBreakGlassReview = true }, CancellationToken.None));

        await engine.Runs.ReviewBreakGlassAsync(id, approval.Id, Support.Engine.Arjun, "restore was justified, checked the incident ticket", CancellationToken.None);

        Assert.Empty(await engine.Repository.ListAsync(new RunQuery { AwaitingBreakGlassReview = true }, CancellationToken.None));
        var reviewed = Assert.Single((await engine.Repository.GetAsync(id, CancellationToken.None))!.Approvals);
        Assert.Equal("arjun", reviewed.ReviewedBy);
        audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.BreakGlassReviewed && e.Actor == "arjun");
    }
}
