using System.Runtime.CompilerServices;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Web.Runs;

/// <summary>
/// RunFeed.FollowAsync for pages and hub clients. The feed never drops a viewer (a slow one catches up from the store by
/// itself); with <paramref name="stopWhenSettled"/> the stream ends once nothing more happens without a person
/// (<see cref="IsSettled"/>), so a program following a run learns that it is over or waits for a resume.
/// </summary>
public static class RunFollower
{
    public static async IAsyncEnumerable<RunEvent> FollowAsync(RunFeed feed, Guid runId, long afterSequence, bool stopWhenSettled,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSequence;
        RunView? view = null;
        await foreach (var e in feed.FollowAsync(runId, afterSequence, cancellationToken))
        {
            switch (e)
            {
                case LinesAppended lines:
                    if (lines.Lines.Count == 0) continue;
                    last = lines.LastSequence;
                    break;
                case RunUpdated updated:
                    view = updated.View;
                    break;
            }
            yield return e;
            if (stopWhenSettled && IsSettled(view, last)) yield break;
        }
    }

    /// <summary>
    /// Nothing happens any more without a person: Succeeded and Cancelled runs never change again; a Failed run (sealed at
    /// its end) or an Interrupted one (the console stopped under it) waits for nobody but a resume, after which a client
    /// follows again from its last sequence. Every line up to the seal has been delivered; an Interrupted run's view comes
    /// after every line stored before it.
    /// </summary>
    public static bool IsSettled(RunView? view, long lastSequence) => view switch
    {
        // A resumed run carries its earlier seal until its next end: only a seal of every line received settles it.
        { Status: RunStatus.Succeeded or RunStatus.Cancelled or RunStatus.Failed } => RunFeed.IsSealed(view, lastSequence),
        { Status: RunStatus.Interrupted } => true,
        _ => false,
    };
}
