using Microsoft.Data.Sqlite;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

/// <summary>A line reaches a viewer only once it is stored; a console that died mid-step marks the gap it left.</summary>
public sealed class DurableFeedTests
{
    private const string OneStep = """
          - { id: one, title: One, section: "1", on: recoveryHost, run: "print-twice" }
        """;

    [Fact]
    [Trait("Category", "Security")]
    public async Task A_line_is_shown_to_viewers_only_after_the_store_committed_it()
    {
        var second = new SemaphoreSlim(0);
        var hosts = new ScriptedHosts().When("print-twice", async (_, _, o, ct) =>
        {
            o.Line(OutputStream.Stdout, "first");
            await second.WaitAsync(ct);
            o.Line(OutputStream.Stdout, "second");
            await second.WaitAsync(ct);
            return 0;
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(OneStep));
        var id = await engine.StartRunAsync();
        var seen = new List<TranscriptLine>();
        var gotFirst = new TaskCompletionSource();
        var gotSecond = new TaskCompletionSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var viewer = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in engine.Feed.FollowAsync(id, 0, stop.Token))
                {
                    if (e is not LinesAppended appended) continue;
                    lock (seen) seen.AddRange(appended.Lines);
                    if (appended.Lines.Any(l => l.Text == "first")) gotFirst.TrySetResult();
                    if (appended.Lines.Any(l => l.Text == "second")) gotSecond.TrySetResult();
                }
            }
            catch (OperationCanceledException) { }
        });
        await gotFirst.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Another writer holds the database: the console cannot commit "second" until it lets go.
        await using (var blocker = new SqliteConnection($"Data Source={Path.Combine(engine.Folder, "console.db")};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var hold = blocker.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
            second.Release();
            await Task.Delay(1_000);
            Assert.False(gotSecond.Task.IsCompleted, "a viewer received a line that was not stored yet");
            hold.Rollback();
        }

        await gotSecond.Task.WaitAsync(TimeSpan.FromSeconds(30));
        second.Release();
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        await stop.CancelAsync();
        await viewer;
        var stored = await engine.TranscriptAsync(id);
        lock (seen) Assert.All(seen, l => Assert.Contains(l, stored));
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task A_step_cut_while_printing_gets_a_gap_marker_and_numbering_continues_after_the_stored_lines()
    {
        var hosts = new ScriptedHosts();
        var clusters = new TestCluster(hosts, new NoApi());
        var folder = Support.Engine.NewFolder();
        Guid id;
        await using (var first = await Support.Engine.StartAsync(clusters, TestProcedure.With(OneStep), folder))
        {
            // What a killed process leaves behind: a run saved as Running, a step in flight (its summary record and its
            // host's), and five of its lines stored.
            var run = new Run("test", "Test procedure", first.Catalog.Find("test")!.VersionHash, TestCluster.Name, false, "{\"recoveryHost\":\"m0\"}", "olivia", DateTimeOffset.UtcNow);
            run.MoveTo(RunStatus.Running, DateTimeOffset.UtcNow);
            run.StepOn("one", "", "One").Start(DateTimeOffset.UtcNow);
            run.StepOn("one", "m0", "One").Start(DateTimeOffset.UtcNow);
            await first.Repository.AddAsync(run, CancellationToken.None);
            id = run.Id;
            await first.Transcripts.AppendAsync(Enumerable.Range(1, 5)
                .Select(i => new TranscriptLine(id, i, "one", "m0", OutputStream.Stdout, DateTimeOffset.UtcNow, $"line {i}")).ToList(), CancellationToken.None);
        }

        await using var second = await Support.Engine.StartInAsync(folder, clusters);
        await second.WaitForStatusAsync(id, RunStatus.Interrupted);
        var lines = await second.TranscriptAsync(id);

        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Sequence));
        var gap = Assert.Single(lines, l => l.Text.StartsWith(TranscriptGap.Prefix, StringComparison.Ordinal));
        Assert.Equal((6L, "one", "m0", OutputStream.System), (gap.Sequence, gap.StepPath, gap.Host, gap.Stream));
        Assert.Contains("one@m0 was printing", gap.Text);
        Assert.Contains("after sequence 5", gap.Text);
        Assert.Contains(lines, l => l.Sequence > 6 && l.Text.StartsWith("Console restarted", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task A_run_stopped_before_its_step_began_printing_gets_no_gap_marker()
    {
        var hosts = new ScriptedHosts();
        var clusters = new TestCluster(hosts, new NoApi());
        var folder = Support.Engine.NewFolder();
        Guid id;
        await using (var first = await Support.Engine.StartAsync(clusters, TestProcedure.With(OneStep), folder))
        {
            var run = new Run("test", "Test procedure", first.Catalog.Find("test")!.VersionHash, TestCluster.Name, false, "{\"recoveryHost\":\"m0\"}", "olivia", DateTimeOffset.UtcNow);
            run.MoveTo(RunStatus.Running, DateTimeOffset.UtcNow);
            run.StepOn("one", "m0", "One");
            await first.Repository.AddAsync(run, CancellationToken.None);
            id = run.Id;
        }

        await using var second = await Support.Engine.StartInAsync(folder, clusters);
        await second.WaitForStatusAsync(id, RunStatus.Interrupted);
        var lines = await second.TranscriptAsync(id);

        Assert.DoesNotContain(lines, l => l.Text.StartsWith(TranscriptGap.Prefix, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Text.StartsWith("Console restarted", StringComparison.Ordinal));
    }
    [Fact]
    [Trait("Category", "Security")]
    public void Only_the_records_that_print_get_a_gap_marker_not_their_group_or_summary()
    {
        var run = new Run("test", "Test procedure", "0", TestCluster.Name, false, "{}", "olivia", DateTimeOffset.UtcNow);
        run.MoveTo(RunStatus.Running, DateTimeOffset.UtcNow);
        foreach (var (path, host) in new[] { ("stop", ""), ("stop[m1]", "m1"), ("stop[m1]/move", "m1"), ("stop[m1]/move", ""), ("check", "m2"), ("check", ""), ("waiting", "m0") })
        {
            var record = run.StepOn(path, host, path);
            if (path != "waiting") record.Start(DateTimeOffset.UtcNow);
        }

        var printing = TranscriptGap.Printing(run.Steps).Select(s => $"{s.StepPath}@{s.Host}").Order();

        Assert.Equal(["check@m2", "stop[m1]/move@m1"], printing);
    }
}
