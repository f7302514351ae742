using System.Runtime.CompilerServices;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Web.Runs;

/// <summary>
/// RunFeed.FollowAsync for a viewer that must never miss a line: when the feed drops a slow viewer, it follows again
/// from the last sequence received. Ends once a run can no longer change (Succeeded or Cancelled, transcript sealed,
/// every sealed line delivered) when <paramref name="stopWhenSealed"/> is set.
/// </summary>
public static class RunFollower
{
    public static async IAsyncEnumerable<RunEvent> FollowAsync(RunFeed feed, Guid runId, long afterSequence, bool stopWhenSealed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = afterSequence;
        RunView? view = null;
        while (true)
        {
            await using var events = feed.FollowAsync(runId, last, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync()) yield break;
                }
                catch (ViewerTooSlowException)
                {
                    break; // follow again from `last`: the store has everything we missed
                }
                switch (events.Current)
                {
                    case LinesAppended lines:
                        if (lines.Lines.Count == 0) continue;
                        last = lines.Lines[^1].Sequence;
                        break;
                    case RunUpdated updated:
                        view = updated.View;
                        break;
                }
                yield return events.Current;
                if (stopWhenSealed && IsComplete(view, last)) yield break;
            }
        }
    }

    /// <summary>Succeeded and Cancelled runs never change again (a Failed one may be resumed).</summary>
    public static bool IsComplete(RunView? view, long lastSequence) =>
        view is { Status: RunStatus.Succeeded or RunStatus.Cancelled, TranscriptDigest: not null } && lastSequence >= view.TranscriptLineCount;
}
