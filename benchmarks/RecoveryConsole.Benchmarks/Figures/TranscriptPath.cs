using System.Diagnostics;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// The transcript path inside one process: how fast a chatty step's lines are accepted (the step must never wait on
/// SQLite), how long until they are all stored, how fast a late viewer receives them, and a live viewer's latency.
/// </summary>
public sealed class TranscriptPath : IBenchmark
{
    public string Name => "transcript";
    public string Description => "lines accepted / stored / read back by a late viewer; a live viewer's latency (in process)";

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        var lines = (int)(1_000_000 * scale);
        await using var bench = await BenchHost.StartAsync("transcript");
        var feed = bench.Feed;
        var run = await bench.NewRunAsync();

        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= lines; i++)
            feed.Append(run.Id, "chatty", "master-0", i % 20 == 0 ? OutputStream.Stderr : OutputStream.Stdout, $"I1122 03:00:00.000000 1 controller.go:{i}] line {i} of a chatty step");
        var accepted = clock.Elapsed;
        await feed.FlushAsync(run.Id, cancellationToken);
        var stored = clock.Elapsed;
        report.Add($"{lines:N0} lines accepted (the step's side)", Measure.Rate(lines, accepted), "never waits on SQLite", "", null);
        report.Add($"{lines:N0} lines stored end to end", Measure.Rate(lines, stored), "", "", null);

        clock.Restart();
        long received = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await foreach (var e in feed.FollowAsync(run.Id, 0, stop.Token))
        {
            if (e is LinesAppended batch) received += batch.Lines.Count;
            if (e is RunUpdated) break; // the snapshot comes after the stored history
        }
        report.Add($"a late viewer reads {received:N0} stored lines", Measure.Rate(received, clock.Elapsed), "", "", null);

        // A paced step (bursts of 10 lines every millisecond or so): from Append until the viewer has the line. Viewers get
        // a line once it is stored, so this is the writer's commit latency plus the fan-out.
        var paced = (int)Math.Max(2_000, 20_000 * scale);
        var live = await bench.NewRunAsync();
        var appendedAt = new long[paced + 1];
        var latencies = new List<double>(paced);
        var viewer = Task.Run(async () =>
        {
            await foreach (var e in feed.FollowAsync(live.Id, 0, stop.Token))
            {
                if (e is not LinesAppended batch) continue;
                var now = Stopwatch.GetTimestamp();
                foreach (var line in batch.Lines) latencies.Add(Stopwatch.GetElapsedTime(appendedAt[line.Sequence], now).TotalMilliseconds);
                if (batch.Lines[^1].Sequence >= paced) return;
            }
        }, cancellationToken);
        await Task.Delay(200, cancellationToken); // the viewer has subscribed
        for (var i = 1; i <= paced; i++)
        {
            appendedAt[i] = Stopwatch.GetTimestamp();
            feed.Append(live.Id, "paced", "master-0", OutputStream.Stdout, $"paced line {i}");
            if (i % 10 == 0) Thread.Sleep(1);
        }
        await viewer.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        latencies.Sort();
        report.Add($"in-process live viewer of a paced step ({paced:N0} lines)",
            $"p50 {Measure.Percentile(latencies, 0.5):F1} ms, p99 {Measure.Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms", "", "", null);
        report.Note($"managed heap after the run {GC.GetTotalMemory(false) / 1024 / 1024:N0} MiB; database {bench.DatabaseMiB():N0} MiB (+WAL)");
    }
}
