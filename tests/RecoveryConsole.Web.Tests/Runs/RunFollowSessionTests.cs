using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Web.Runs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Runs;

/// <summary>A run page no longer holds its transcript: it counts lines and keeps a bounded tail, whatever the run prints.</summary>
public sealed class RunFollowSessionTests
{
    [Fact]
    public async Task A_page_following_a_150000_line_step_keeps_only_a_bounded_tail_and_counts_every_line()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: ChattyRun.ProceduresFolder);
        var store = console.Get<ITranscriptStore>();
        var runId = await ChattyRun.StartAsync(console);
        using var live = new RunFollowSession(console.Get<RunFeed>(), store, runId);
        live.Start();

        var largestTail = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (live.View?.Status is not RunStatus.Succeeded || live.LastSequence < live.View.TranscriptLineCount)
        {
            await Task.Delay(50, deadline.Token);
            live.Apply();
            largestTail = Math.Max(largestTail, live.Tail.Count);
            Assert.Null(live.Error);
        }

        // Lines may still follow the settled view (the run's last console lines): wait until the page has them all.
        var stored = await store.LastSequenceAsync(runId, CancellationToken.None);
        for (var i = 0; i < 40 && live.LastSequence < stored; i++)
        {
            await Task.Delay(50, deadline.Token);
            live.Apply();
            stored = await store.LastSequenceAsync(runId, CancellationToken.None);
        }
        Assert.True(stored > ChattyRun.Printed, $"{stored} lines stored");
        Assert.Equal(stored, live.LastSequence);
        Assert.InRange(largestTail, 1, RunFollowSession.TailLimit);
        // The tail is the newest lines, in order, up to the last one.
        Assert.Equal(Enumerable.Range(0, live.Tail.Count).Select(i => stored - live.Tail.Count + 1 + i), live.Tail.Select(l => l.Sequence));
        Assert.Equal((await store.ReadAsync(runId, stored - 1, 1, CancellationToken.None))[0], live.Tail.Last());

        // A page opened after the end reads nothing up front: it knows the count and holds no line.
        using var late = new RunFollowSession(console.Get<RunFeed>(), store, runId);
        late.Start();
        while (late.View is null) { await Task.Delay(20, deadline.Token); late.Apply(); }
        Assert.Equal(await store.LastSequenceAsync(runId, CancellationToken.None), late.LastSequence);
        Assert.Empty(late.Tail);
    }
}
