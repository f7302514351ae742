using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>The viewer side of RunFeed: shared frames, a paused viewer that catches up from the store, nothing kept after a run.</summary>
public sealed class RunFeedViewerTests
{
    /// <summary>A step printing <paramref name="lines"/> lines in bursts of 500 (many commits, so many frames).</summary>
    private static ScriptedHosts Chatty(int lines, Task? release = null) => new ScriptedHosts().When("seq", async (_, _, o, ct) =>
    {
        for (var i = 1; i <= lines; i++)
        {
            o.Line(OutputStream.Stdout, $"line {i}");
            if (i % 500 == 0) await Task.Delay(1, ct);
            if (i == 10 && release is not null) await release.WaitAsync(ct);
        }
        return 0;
    });

    private static Task<Support.Engine> StartAsync(ScriptedHosts hosts, int lines, int backlogLines = 250_000) =>
        Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With($$"""
              - { id: chatty, title: Chatty, section: "1", on: recoveryHost, run: "seq 1 {{lines}}" }
            """), configure: o => o.ViewerBacklogLines = backlogLines);

    private static bool Sealed(RunEvent e) => e is RunUpdated { View: { TranscriptDigest: not null } v } && v.Status.IsFinal();

    [Fact]
    public async Task A_paused_viewer_does_not_hold_the_step_and_catches_up_completely_in_order_when_it_reads_again()
    {
        const int lines = 100_000;
        var release = new TaskCompletionSource();
        // A viewer may hold 5,000 lines here: the step prints twenty times that while the viewer sleeps.
        await using var engine = await StartAsync(Chatty(lines, release.Task), lines, backlogLines: 5_000);
        var id = await engine.StartRunAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var received = new List<TranscriptLine>();
        await using var paused = engine.Feed.FollowAsync(id, 0, timeout.Token).GetAsyncEnumerator(timeout.Token);
        while (received.Count < 10)
        {
            Assert.True(await paused.MoveNextAsync());
            if (paused.Current is LinesAppended first) received.AddRange(first.Lines);
        }

        // The viewer stops reading; the step prints 100,000 lines and the run ends (sealed) meanwhile.
        var catchUpsBefore = engine.Feed.CatchUps;
        release.SetResult();
        var run = await engine.WaitForAsync(id, r => r.TranscriptDigest is not null, "sealed while the viewer is paused", seconds: 90);

        while (await paused.MoveNextAsync())
        {
            if (paused.Current is LinesAppended frame) received.AddRange(frame.Lines);
            if (Sealed(paused.Current)) break;
        }

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(Enumerable.Range(1, (int)run.TranscriptLineCount).Select(i => (long)i), received.Select(l => l.Sequence));
        Assert.Equal((await engine.TranscriptAsync(id)).Select(l => l.Text), received.Select(l => l.Text));
        Assert.True(engine.Feed.CatchUps > catchUpsBefore, "the paused viewer was never switched to the store");
    }

    [Fact]
    public async Task Live_viewers_share_each_frame_and_frames_carry_contiguous_sequences()
    {
        const int lines = 20_000;
        var release = new TaskCompletionSource();
        await using var engine = await StartAsync(Chatty(lines, release.Task), lines);
        var id = await engine.StartRunAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        async Task<List<LinesAppended>> FollowAsync()
        {
            var frames = new List<LinesAppended>();
            await foreach (var e in engine.Feed.FollowAsync(id, 0, timeout.Token))
            {
                if (e is LinesAppended frame) frames.Add(frame);
                if (Sealed(e)) break;
            }
            return frames;
        }
        var first = Task.Run(FollowAsync);
        var second = Task.Run(FollowAsync);
        while (engine.Feed.ViewerCount(id) < 2) await Task.Delay(10, timeout.Token);
        release.SetResult();
        var (a, b) = (await first, await second);

        foreach (var frames in new[] { a, b })
        {
            var expected = 1L;
            foreach (var frame in frames)
            {
                Assert.Equal(expected, frame.FirstSequence);
                Assert.Equal(Enumerable.Range((int)frame.FirstSequence, frame.Lines.Count).Select(i => (long)i), frame.Lines.Select(l => l.Sequence));
                Assert.Equal(frame.LastSequence, frame.Lines[^1].Sequence);
                expected = frame.LastSequence + 1;
            }
            Assert.True(expected > lines, $"only up to {expected - 1}");
        }
        // The same frame objects reached both viewers: nothing was copied per viewer.
        var shared = a.Intersect(b, ReferenceEqualityComparer.Instance).Count();
        Assert.True(shared > 0 && shared >= a.Count / 2, $"{shared} of {a.Count} frames shared");
    }

    [Fact]
    public async Task A_sealed_run_nobody_follows_leaves_nothing_in_the_feed()
    {
        const int lines = 2_000;
        await using var engine = await StartAsync(Chatty(lines), lines);
        var id = await engine.StartRunAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await foreach (var e in engine.Feed.FollowAsync(id, 0, timeout.Token))
            if (Sealed(e)) break;

        // The viewer has left and the run is sealed: no numbering, viewer or held change is kept for it.
        await WaitUntilAsync(() => !engine.Feed.Tracks(id), timeout.Token);
        Assert.Equal(0, engine.Feed.TrackedRuns);

        // A later viewer of the finished run reads it from the store and leaves nothing behind either.
        var count = 0;
        await foreach (var e in engine.Feed.FollowAsync(id, 0, timeout.Token))
        {
            if (e is LinesAppended frame) count += frame.Lines.Count;
            if (e is RunUpdated) break;
        }
        Assert.Equal((await engine.TranscriptAsync(id)).Count, count);
        Assert.False(engine.Feed.Tracks(id));
    }

    [Fact]
    public async Task A_resumed_run_ending_with_its_earlier_seal_still_on_it_keeps_numbering_until_it_is_sealed_again()
    {
        await using var engine = await StartAsync(Chatty(10), 10);
        var feed = engine.Feed;
        var run = new Run("p", "P", "sha256:x", "lab", isDrill: true, "{}", "olivia", DateTimeOffset.UtcNow);
        await engine.Repository.AddAsync(run, CancellationToken.None);
        await feed.OpenAsync(run.Id, CancellationToken.None);
        run.MoveTo(RunStatus.Running, DateTimeOffset.UtcNow);
        for (var i = 1; i <= 3; i++) feed.Append(run.Id, "s", "", OutputStream.Stdout, $"first {i}");
        await feed.FlushAsync(run.Id, CancellationToken.None);
        run.MoveTo(RunStatus.Failed, DateTimeOffset.UtcNow, "step failed");
        run.SealTranscript("digest-of-3", 3);
        feed.Publish(RunView.From(run));

        // Resumed: more lines, then the run ends while it still carries the first seal (it is sealed again only after).
        await feed.OpenAsync(run.Id, CancellationToken.None);
        run.MoveTo(RunStatus.Running, DateTimeOffset.UtcNow);
        feed.Publish(RunView.From(run));
        feed.Append(run.Id, "", "", OutputStream.System, "resumed");
        run.MoveTo(RunStatus.Succeeded, DateTimeOffset.UtcNow);
        feed.Publish(RunView.From(run));
        var last = feed.Append(run.Id, "", "", OutputStream.System, "Run Succeeded");
        await feed.FlushAsync(run.Id, CancellationToken.None);

        // Numbering went on: an earlier seal on a final view did not make the feed forget the run mid-way.
        Assert.Equal(5, last.Sequence);
        Assert.Equal([1L, 2, 3, 4, 5], (await engine.TranscriptAsync(run.Id)).Select(l => l.Sequence));
        Assert.True(feed.Tracks(run.Id));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition()) await Task.Delay(10, cancellationToken);
    }
}
