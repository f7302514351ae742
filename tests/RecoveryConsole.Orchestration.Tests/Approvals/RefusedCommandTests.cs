using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

/// <summary>A refused command leaves a refusal in the audit, never the record of something that happened.</summary>
[Trait("Category", "Security")]
public sealed class RefusedCommandTests
{
    private const string Restore = """
          - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
        """;

    [Fact]
    public async Task A_cancel_without_a_reason_or_by_a_viewer_is_refused_audited_as_a_refusal_and_the_run_goes_on()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Restore));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        var empty = await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.CancelAsync(id, Support.Engine.Olivia, "   ", CancellationToken.None));
        Assert.Equal("A reason for cancelling is required.", empty.Message);
        await Assert.ThrowsAsync<NotAllowedException>(() => engine.Runs.CancelAsync(id, Support.Engine.Vera, "not mine", CancellationToken.None));

        Assert.Equal(RunStatus.WaitingForApproval, (await engine.Repository.GetAsync(id, CancellationToken.None))!.Status);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.RunCancelRequested);
        Assert.Contains(audit, e => e.Kind == AuditKinds.CommandRefused && e.Actor == "olivia" && e.Detail == "cancel: A reason for cancelling is required.");
        Assert.Contains(audit, e => e.Kind == AuditKinds.CommandRefused && e.Actor == "vera" && e.Detail.StartsWith("cancel: vera may not cancel", StringComparison.Ordinal));

        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
    }

    [Fact]
    public async Task Cancelling_a_finished_run_is_refused_without_a_cancel_requested_entry()
    {
        await using var engine = await Support.Engine.StartAsync(new TestCluster(new ScriptedHosts(), new NoApi()), TestProcedure.With("""
              - { id: one, title: One, section: "1", on: recoveryHost, run: "step-one" }
            """));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Runs.CancelAsync(id, Support.Engine.Olivia, "too late", CancellationToken.None));

        Assert.Equal("The run is Succeeded: it cannot be cancelled.", refused.Message);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.RunCancelRequested);
        Assert.Contains(audit, e => e.Kind == AuditKinds.CommandRefused && e.Detail.StartsWith("cancel: The run is Succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_fields_are_checked_on_the_server_blank_and_overlong_notes_are_refused()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: dns, title: Update DNS, section: "3.1 step 9", manual: "Point api.<cluster> at the new control-plane hosts." }
            """ + "\n" + Restore));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForOperator);

        await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.ConfirmAsync(id, "dns", Support.Engine.Olivia, "\t ", CancellationToken.None));
        var overlong = await Assert.ThrowsAsync<ArgumentException>(() =>
            engine.Runs.ConfirmAsync(id, "dns", Support.Engine.Olivia, new string('x', CommandText.MaxLength + 1), CancellationToken.None));
        Assert.Contains("too long", overlong.Message);
        Assert.Equal(StepStatus.WaitingForOperator, (await engine.Repository.GetAsync(id, CancellationToken.None))!.FindStep("dns")!.Status);

        await engine.Runs.ConfirmAsync(id, "dns", Support.Engine.Olivia, "  records updated  ", CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        var reject = await Assert.ThrowsAsync<ArgumentException>(() =>
            engine.Runs.RejectAsync(id, "restore", Support.Engine.Arjun, new string('x', CommandText.MaxLength + 1), CancellationToken.None));
        Assert.Contains("too long", reject.Message);

        var run = await engine.Repository.GetAsync(id, CancellationToken.None);
        Assert.Equal("records updated", run!.FindStep("dns")!.Note);
        Assert.Equal(ApprovalDecision.Pending, Assert.Single(run.Approvals).Decision);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Equal(2, audit.Count(e => e.Kind == AuditKinds.CommandRefused && e.Detail.StartsWith("confirm dns:", StringComparison.Ordinal)));
        Assert.Single(audit, e => e.Kind == AuditKinds.OperatorConfirmed);
        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "test over", CancellationToken.None);
    }
}
