using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>Takes a run to its end in-process: arjun approves every destructive step, olivia confirms manual steps with a note.</summary>
public static class RunDriver
{
    public const string ManualNote = "Would re-create master-1 and master-2, one at a time";
    public static readonly Actor Olivia = new("olivia", [Roles.Operator]);
    public static readonly Actor Arjun = new("arjun", [Roles.Approver]);

    public static async Task<Guid> StartSampleAsync(TestConsole console, Actor? starter = null) =>
        await console.Get<RunService>().StartAsync(
            new StartRunRequest(DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters), starter ?? Olivia, CancellationToken.None);

    public static async Task<RunView> CompleteAsync(TestConsole console, Guid runId, TimeSpan? timeout = null)
    {
        var runs = console.Get<RunService>();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        RunView? last = null;
        var handled = new HashSet<string>();
        long lastSequence = 0;
        await foreach (var e in RunFollower.FollowAsync(console.Get<RunFeed>(), runId, 0, stopWhenSettled: true, cts.Token))
        {
            if (e is LinesAppended lines) lastSequence = lines.Lines[^1].Sequence;
            if (e is not RunUpdated { View: var view }) continue;
            last = view;
            if (view.PendingApproval is { } approval && handled.Add("approve " + approval.Id))
                await runs.ApproveAsync(runId, approval.StepPath, Arjun, "checked the plan", cts.Token);
            if (view.WaitingForOperator is { } manual && handled.Add("confirm " + manual.StepPath))
                await runs.ConfirmAsync(runId, manual.StepPath, Olivia, ManualNote, cts.Token);
            if (view.Status is RunStatus.Failed) return view;
        }
        return last!;
    }
}
