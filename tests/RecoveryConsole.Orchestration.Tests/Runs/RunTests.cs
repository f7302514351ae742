using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Tests.Runs;

public sealed class RunTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static Run NewRun() => new("p", "Procedure", "abc", "c", false, "{}", "olivia", T0);

    [Theory]
    [InlineData(RunStatus.Pending, RunStatus.Succeeded)]
    [InlineData(RunStatus.Pending, RunStatus.WaitingForApproval)]
    [InlineData(RunStatus.Succeeded, RunStatus.Running)]
    [InlineData(RunStatus.Cancelled, RunStatus.Running)]
    [InlineData(RunStatus.Interrupted, RunStatus.Succeeded)]
    public void Transitions_the_life_of_a_run_does_not_allow_are_refused(RunStatus from, RunStatus to)
    {
        var run = NewRun();
        Walk(run, from);

        var refused = Assert.Throws<InvalidTransitionException>(() => run.MoveTo(to, T0));

        Assert.Contains($"{from} to {to}", refused.Message);
        Assert.Equal(from, run.Status);
    }

    [Fact]
    public void A_run_records_when_it_started_and_ended()
    {
        var run = NewRun();
        run.MoveTo(RunStatus.Running, T0.AddSeconds(1));
        run.MoveTo(RunStatus.Interrupted, T0.AddSeconds(5), "console stopped");
        run.MoveTo(RunStatus.Running, T0.AddSeconds(9));
        run.MoveTo(RunStatus.Succeeded, T0.AddSeconds(12));

        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(12)), (run.StartedAt, run.EndedAt));
    }

    [Fact]
    public void A_finished_step_is_never_started_again()
    {
        var step = NewRun().StepOn("restore", "m0", "Restore");
        step.Start(T0);
        step.Finish(StepStatus.Succeeded, T0.AddSeconds(3), exitCode: 0);

        Assert.Throws<InvalidTransitionException>(() => step.Start(T0.AddSeconds(4)));
        Assert.Throws<InvalidTransitionException>(() => step.Reopen());
        Assert.Equal(1, step.Attempts);
    }

    [Fact]
    public void Interrupted_steps_reopen_for_a_resume_and_finished_ones_stay()
    {
        var run = NewRun();
        run.MoveTo(RunStatus.Running, T0);
        var done = run.StepOn("one", "", "One");
        done.Start(T0);
        done.Finish(StepStatus.Succeeded, T0);
        run.StepOn("two", "", "Two").Start(T0);

        var cut = run.InterruptUnfinishedSteps(T0, "stopped");
        run.ReopenUnfinishedSteps();

        Assert.Equal("two", Assert.Single(cut).StepPath);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("one")!.Status);
        Assert.Equal(StepStatus.Pending, run.FindStep("two")!.Status);
    }

    [Fact]
    public void An_approval_is_decided_once_and_only_an_approved_one_can_be_used()
    {
        var run = NewRun();
        var approval = run.RequestApproval("restore", "Restore", T0);
        Assert.Same(approval, run.RequestApproval("restore", "Restore", T0)); // asking twice does not duplicate
        Assert.Throws<InvalidTransitionException>(approval.Consume);

        ApprovalPolicy.Decide(run, approval, new Actor("arjun", [Roles.Approver]), ApprovalDecision.Approved, null, T0);

        Assert.Throws<InvalidTransitionException>(() =>
            ApprovalPolicy.Decide(run, approval, new Actor("anna", [Roles.Approver]), ApprovalDecision.Rejected, "no", T0));
        approval.Consume();
        Assert.True(approval.Consumed);
    }

    private static void Walk(Run run, RunStatus to)
    {
        var path = to switch
        {
            RunStatus.Pending => [],
            RunStatus.Succeeded => new[] { RunStatus.Running, RunStatus.Succeeded },
            RunStatus.Cancelled => [RunStatus.Running, RunStatus.Cancelled],
            RunStatus.Interrupted => [RunStatus.Running, RunStatus.Interrupted],
            _ => throw new ArgumentOutOfRangeException(nameof(to)),
        };
        foreach (var s in path) run.MoveTo(s, T0);
    }
}
