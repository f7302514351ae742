using System.Diagnostics;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// Live output to hub viewers (issue 12): the console's web host in this process, its real SignalR clients in another
/// (<see cref="ViewerClients"/>: this executable again), so the console's step time, CPU and memory are its own; the clients'
/// CPU is reported apart (they still share the machine's cores). Each figure is measured through RunHub.Follow (shared frames,
/// one JSON per frame) and, as the baseline, through the pre-frame path reproduced in <see cref="LegacyFanOut"/> (one copy,
/// one DTO list and one JSON per event per viewer). In the largest burst one viewer stops reading for a while and reads on.
/// </summary>
public sealed class Viewers : IBenchmark
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(12);

    public string Name => "viewers";
    public string Description => "live lines to SignalR viewers (another process): latency with 1 and 200 viewers, a 200,000-line burst with 0-200 viewers, a paused viewer, memory";

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        await using var bench = await WebBench.StartAsync();
        var idle = (Managed: Measure.ManagedMiB(), Resident: Measure.ResidentMiB());
        report.Note($"idle console: managed {idle.Managed} MiB, resident {idle.Resident} MiB; {Measure.HeapDetail()}");

        var only = Environment.GetEnvironmentVariable("RC_BENCH_BURST_VIEWERS"); // a quick look at some burst sizes, e.g. 200 or 10,100,200
        var paced = Math.Max(50, (int)(400 * scale));
        var many = Math.Max(2, (int)(200 * scale));
        foreach (var n in only is null ? new[] { 1, many } : [])
        {
            var now = await PacedAsync(bench, RunHub.Path, n, paced);
            var old = await PacedAsync(bench, LegacyFollowHub.Path, n, paced);
            var met = n == 1 ? now.P50 < 50 && now.P99 < 150 && now.Missed == 0 : now.P99 < 300 && now.Missed == 0;
            report.Add($"line latency, paced step ({paced} lines, one per 12 ms), {n} viewer(s)", now.Text,
                n == 1 ? "p50 < 50 ms, p99 < 150 ms" : "p99 < 300 ms, no viewer misses a line", old.Text, met);
        }

        var burst = Math.Max(1_000, (int)(200_000 * scale));
        var viewerCounts = only is not null ? [0, .. only.Split(',').Select(int.Parse)]
            : new[] { 0, 10, 100, 200 }.Select(v => v == 0 ? 0 : Math.Max(1, (int)(v * scale))).Distinct().ToList();
        var pauseFor = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("RC_BENCH_PAUSE_SECONDS") ?? "10",
            System.Globalization.CultureInfo.InvariantCulture));
        var alone = await BurstAsync(bench, RunHub.Path, 0, burst, null, null);
        report.Note($"burst of {burst:N0} lines, no viewer: step {alone.Step.TotalSeconds:F2} s, producer CPU {alone.StepCpu.TotalSeconds:F2} s, " +
                    $"console CPU {alone.ConsoleCpu.TotalSeconds:F2} s");
        // The frames path for every size first, then the console's memory, then the baseline: its per-client ~400 KB
        // messages leave pooled large arrays of their own, which would blur what the console keeps after its own path.
        long peak = 0;
        var measured = new List<(int Viewers, HubViewer.PausePlan? Pause, Burst Now)>();
        foreach (var n in viewerCounts.Where(v => v > 0))
        {
            var largest = n == viewerCounts[^1];
            var sampler = largest ? new PeakSampler() : null;
            var pause = largest && n > 1 ? new HubViewer.PausePlan(Math.Min(2_000, burst / 10), pauseFor) : null;
            measured.Add((n, pause, await BurstAsync(bench, RunHub.Path, n, burst, sampler, pause)));
            if (sampler is not null) peak = sampler.Stop();
            report.Note($"console's managed heap after the burst to {n} viewers, clients gone and run sealed: {Measure.ManagedMiB()} MiB");
        }

        // Everyone left and the runs are sealed: nothing of them may stay in the console.
        var after = (Managed: Measure.ManagedMiB(), Resident: Measure.ResidentMiB());
        var tracked = bench.Feed.TrackedRuns;
        report.Note($"console after the runs: {Measure.HeapDetail()}; thread pool threads {ThreadPool.ThreadCount}");
        if (Environment.GetEnvironmentVariable("RC_BENCH_HOLD_SECONDS") is { } hold) // time to take a heap dump (dotnet-gcdump collect -p PID)
        {
            report.Note($"holding {hold} s: pid {Environment.ProcessId}");
            await Task.Delay(TimeSpan.FromSeconds(int.Parse(hold)), cancellationToken);
        }

        foreach (var (n, pause, now) in measured)
        {
            var old = await BurstAsync(bench, LegacyFollowHub.Path, n, burst, null, null);
            var met = now.Step.TotalSeconds <= 2 * Math.Max(alone.Step.TotalSeconds, 0.05) && now.Complete == n && now.Disconnected == 0 && !now.OutOfOrder;
            report.Add($"burst of {burst:N0} lines, {n} viewers{(pause is null ? "" : " (one of them paused)")}", now.Text(alone),
                "step within 2x of no viewer; every viewer complete, none disconnected", old.Text(alone), met);
            if (now.Paused is { } p)
                report.Add($"a viewer that stops reading {pauseFor.TotalSeconds:F0} s during the burst of {burst:N0} lines ({n} viewers)", p.Text,
                    "catches up when it reads again: every line, in order", "-", p.Complete);
        }
        report.Note($"console after the baseline's runs too: {Measure.HeapDetail()}");
        report.Add("console memory: idle / peak (largest burst) / after the runs are sealed and unwatched (forced full GC)",
            $"managed {idle.Managed} / - / {after.Managed} MiB; resident {idle.Resident} / {peak} / {after.Resident} MiB; runs kept by the feed: {tracked}",
            "released (back to the idle figure)", "(clients in another process)", tracked == 0 && after.Managed <= idle.Managed + 32);
    }

    private sealed record Paced(double P50, double P99, double Max, long Missed)
    {
        public string Text => $"p50 {P50:F1} ms, p99 {P99:F1} ms, max {Max:F0} ms, lines missed {Missed}";
    }

    private static async Task<Paced> PacedAsync(WebBench bench, string hub, int viewers, int lines)
    {
        var run = await bench.NewRunAsync();
        try
        {
            await using var clients = await ViewerGroup.StartAsync(bench, hub, run.Id, viewers, lines, TimeSpan.FromSeconds(60));
            await bench.WaitForViewersAsync(hub, run.Id, viewers);
            await SettleAsync(clients, hub);
            var next = Stopwatch.StartNew();
            for (var i = 1; i <= lines; i++)
            {
                bench.Feed.Append(run.Id, "bench", "master-0", OutputStream.Stdout, Text(i));
                var wait = Pace * i - next.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
            var done = await clients.DoneAsync();
            var missed = clients.Viewers.Sum(c => lines - (c.Lines ?? 0)) + (clients.Viewers.Any(c => c.OutOfOrder == true) ? 1 : 0)
                         + (viewers - clients.Viewers.Count) * (long)lines;
            return new Paced(done.P50Ms, done.P99Ms, done.MaxMs, missed);
        }
        finally
        {
            await bench.SealAsync(run);
        }
    }

    private sealed record PausedViewer(bool Complete, long Lines, long Expected, long LinesWhenPaused, TimeSpan PausedFor, TimeSpan? CatchUp, long StoreCatchUps)
    {
        public string Text =>
            $"{(Complete ? "every line in order" : "INCOMPLETE or out of order")} ({Lines:N0}/{Expected:N0}); stopped after {LinesWhenPaused:N0} lines for " +
            $"{PausedFor.TotalSeconds:F1} s, had the last line {(CatchUp is { } c ? $"{c.TotalSeconds:F2} s" : "never")} after reading again; " +
            $"catch-ups from the store: {StoreCatchUps} (a viewer's queue holds 250,000 lines of shared frames, more than this burst)";
    }

    private sealed record Burst(int Viewers, TimeSpan Step, TimeSpan StepCpu, TimeSpan ConsoleCpu, TimeSpan ClientsCpu, TimeSpan AllComplete,
        int Complete, int Disconnected, bool OutOfOrder, double P99, int Lines, PausedViewer? Paused, TimeSpan LongestGap)
    {
        public string Text(Burst alone)
        {
            var perLineViewer = Viewers == 0 ? 0 : (ConsoleCpu - alone.ConsoleCpu).TotalMicroseconds / ((double)Lines * Viewers);
            return $"step {Step.TotalSeconds:F2} s ({Step.TotalSeconds / Math.Max(alone.Step.TotalSeconds, 0.001):F1}x alone; producer CPU {StepCpu.TotalSeconds:F2} s; " +
                   $"console CPU {ConsoleCpu.TotalSeconds:F1} s ({perLineViewer:F2} µs per line per viewer above no viewer); clients' CPU {ClientsCpu.TotalSeconds:F1} s in their own processes), " +
                   $"{(AllComplete == TimeSpan.MaxValue ? "NOT all viewers done" : $"all viewers done after {AllComplete.TotalSeconds:F1} s")}" +
                   $"{(Paused is null ? "" : " (the paused one apart)")}, " +
                   $"complete {Complete}/{Viewers}, disconnected {Disconnected}{(OutOfOrder ? ", OUT OF ORDER" : "")}, line p99 {P99 / 1000:F1} s, " +
                   $"longest silence a client saw {LongestGap.TotalSeconds:F1} s";
        }
    }

    private static async Task<Burst> BurstAsync(WebBench bench, string hub, int viewers, int lines, PeakSampler? sampler, HubViewer.PausePlan? pause)
    {
        var run = await bench.NewRunAsync();
        try
        {
            await using var clients = viewers == 0 ? null
                : await ViewerGroup.StartAsync(bench, hub, run.Id, viewers, lines, TimeSpan.FromSeconds(180) + (pause?.For ?? TimeSpan.Zero), pause);
            await bench.WaitForViewersAsync(hub, run.Id, viewers);
            if (clients is not null) await SettleAsync(clients, hub);
            sampler?.Start();
            var catchUps = bench.Feed.CatchUps;
            var consoleCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            // The step: a transport printing as fast as it can, as `seq 1 200000` does; its own CPU from its thread's counters.
            var stepCpu = await Task.Factory.StartNew(() =>
            {
                var cpu = ThreadCpu();
                for (var i = 1; i <= lines; i++) bench.Feed.Append(run.Id, "bench", "master-0", OutputStream.Stdout, Text(i));
                return ThreadCpu() - cpu;
            }, TaskCreationOptions.LongRunning);
            var step = clock.Elapsed;
            if (clients is null)
            {
                await bench.Feed.FlushAsync(run.Id, CancellationToken.None);
                return new Burst(0, step, stepCpu, Process.GetCurrentProcess().TotalProcessorTime - consoleCpu, TimeSpan.Zero, clock.Elapsed, 0, 0,
                    false, double.NaN, lines, null, TimeSpan.Zero);
            }
            var done = await clients.DoneAsync();
            consoleCpu = Process.GetCurrentProcess().TotalProcessorTime - consoleCpu;
            var reports = clients.Viewers;
            foreach (var error in reports.Where(c => c.Error is not null).GroupBy(c => c.Error).Take(3))
                Console.WriteLine($"    {error.Count()} viewer(s) on {hub}: {error.Key}");
            var lastDone = reports.Where(c => c.PausedAt is null).Select(c => c.CompletedAt ?? DateTimeOffset.MaxValue).DefaultIfEmpty(started).Max();
            var paused = reports.FirstOrDefault(c => c.PausedAt is not null) is { } p
                ? new PausedViewer(p.Lines == lines && p.OutOfOrder == false, p.Lines ?? 0, lines, p.LinesWhenPaused ?? 0,
                    (p.ResumedAt ?? DateTimeOffset.UtcNow) - p.PausedAt!.Value, p.CompletedAt - p.ResumedAt, bench.Feed.CatchUps - catchUps)
                : null;
            return new Burst(viewers, step, stepCpu, consoleCpu, done.ClientsCpu,
                lastDone == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : lastDone - started,
                reports.Count(c => c.Lines == lines && c.OutOfOrder == false), reports.Count(c => c.Disconnected == true),
                reports.Any(c => c.OutOfOrder == true), done.P99Ms, lines, paused,
                TimeSpan.FromMilliseconds(reports.Where(c => c.PausedAt is null).Select(c => c.LongestGapMs ?? 0).DefaultIfEmpty(0).Max()));
        }
        finally
        {
            await bench.SealAsync(run);
        }
    }

    /// <summary>Measures start once the client processes are idle (see <see cref="ViewerGroup.SettleAsync"/>).</summary>
    private static async Task SettleAsync(ViewerGroup clients, string hub)
    {
        var (waited, cpu) = await clients.SettleAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"    viewer clients on {hub} idle after {waited.TotalSeconds:F1} s ({cpu.TotalSeconds:F1} s of their CPU since ready)");
    }

    /// <summary>CPU time of the calling thread (Linux: utime + stime of /proc/thread-self/stat, 10 ms ticks).</summary>
    private static TimeSpan ThreadCpu()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
    }

    private static string Text(int i) => $"2026-12-03 10:00:00.000 I | etcdserver: applied index {i}, member 8e9e05c52164694d, raft term 7 ({i:D6})";

    /// <summary>The console's resident set sampled every 100 ms while a burst runs.</summary>
    private sealed class PeakSampler
    {
        private readonly CancellationTokenSource _stop = new();
        private long _peak;
        private Task _loop = Task.CompletedTask;

        public void Start() => _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _peak = Math.Max(_peak, Measure.ResidentMiB());
                try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
            }
        });

        public long Stop()
        {
            _stop.Cancel();
            _loop.Wait();
            return _peak;
        }
    }
}
