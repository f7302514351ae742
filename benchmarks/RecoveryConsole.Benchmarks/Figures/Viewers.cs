using System.Diagnostics;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// Live output to hub viewers (issue 12): the console's web host in-process, real SignalR clients in the same process
/// (so they share the 2 cores: their CPU is in every figure; the producer's own time is reported apart). Each figure is
/// measured through RunHub.Follow (shared frames, one JSON per frame) and, as the baseline, through the pre-frame path
/// reproduced in <see cref="LegacyFanOut"/> (one copy, one DTO list and one JSON per event per viewer).
/// </summary>
public sealed class Viewers : IBenchmark
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(12);

    public string Name => "viewers";
    public string Description => "live lines to SignalR viewers: latency with 1 and 200 viewers, a 200,000-line burst with 0-200 viewers, memory";

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        await using var bench = await WebBench.StartAsync();
        var idle = (Managed: Measure.ManagedMiB(), Resident: Measure.ResidentMiB());
        report.Note($"idle: managed {idle.Managed} MiB, resident {idle.Resident} MiB (clients run in this process too)");

        var only = Environment.GetEnvironmentVariable("RC_BENCH_BURST_VIEWERS"); // a quick look at one burst size, e.g. 100
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
        var viewerCounts = only is not null ? [0, int.Parse(only)]
            : new[] { 0, 10, 100, 200 }.Select(v => v == 0 ? 0 : Math.Max(1, (int)(v * scale))).Distinct().ToList();
        var alone = await BurstAsync(bench, RunHub.Path, 0, burst, null);
        report.Note($"burst of {burst:N0} lines, no viewer: step {alone.Step.TotalSeconds:F2} s");
        long peak = 0;
        foreach (var n in viewerCounts.Where(v => v > 0))
        {
            var sampler = n == viewerCounts[^1] ? new PeakSampler() : null;
            var now = await BurstAsync(bench, RunHub.Path, n, burst, sampler);
            if (sampler is not null) peak = sampler.Stop();
            var keptNow = Measure.ManagedMiB();
            var old = await BurstAsync(bench, LegacyFollowHub.Path, n, burst, null);
            report.Note($"managed heap after the burst, clients gone and run sealed: {keptNow} MiB (frames), {Measure.ManagedMiB()} MiB after the baseline's too");
            var met = now.Step.TotalSeconds <= 2 * Math.Max(alone.Step.TotalSeconds, 0.05) && now.Complete == n && now.Disconnected == 0 && !now.OutOfOrder;
            report.Add($"burst of {burst:N0} lines, {n} viewers", now.Text(alone.Step), "step within 2x of no viewer; every viewer complete, none disconnected",
                old.Text(alone.Step), met);
        }

        // Everyone left and the run is sealed: nothing of it may stay.
        var after = (Managed: Measure.ManagedMiB(), Resident: Measure.ResidentMiB());
        var tracked = bench.Feed.TrackedRuns;
        report.Add("memory: idle / peak (largest burst) / after the runs are sealed and unwatched",
            $"managed {idle.Managed} / - / {after.Managed} MiB; resident {idle.Resident} / {peak} / {after.Resident} MiB; runs kept by the feed: {tracked}",
            "released (back to the idle figure)", "(same process; see the resident figure)", tracked == 0 && after.Managed <= idle.Managed + 32);
    }

    private sealed record Paced(double P50, double P99, double Max, long Missed)
    {
        public string Text => $"p50 {P50:F1} ms, p99 {P99:F1} ms, max {Max:F0} ms, lines missed {Missed}";
    }

    private static async Task<Paced> PacedAsync(WebBench bench, string hub, int viewers, int lines)
    {
        var run = await bench.NewRunAsync();
        var clients = await ConnectAsync(bench, hub, viewers, latencies: true);
        try
        {
            foreach (var c in clients) c.Follow(run.Id, lines);
            await bench.WaitForViewersAsync(hub, run.Id, viewers);
            if (hub == RunHub.Path) await Task.WhenAll(clients.Select(c => c.Ready)).WaitAsync(TimeSpan.FromSeconds(60));
            var next = Stopwatch.StartNew();
            for (var i = 1; i <= lines; i++)
            {
                bench.Feed.Append(run.Id, "bench", "master-0", OutputStream.Stdout, Text(i));
                var wait = Pace * i - next.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
            await Task.WhenAll(clients.Select(c => c.Complete)).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(_ => { }, TaskScheduler.Default);
            var all = clients.SelectMany(c => c.LatenciesMs).Order().ToList();
            var missed = clients.Sum(c => lines - c.Lines) + (clients.Any(c => c.OutOfOrder) ? 1 : 0);
            return new Paced(Measure.Percentile(all, 0.5), Measure.Percentile(all, 0.99), all.Count == 0 ? double.NaN : all[^1], missed);
        }
        finally
        {
            await DisposeAllAsync(clients);
            await bench.SealAsync(run);
        }
    }

    private sealed record Burst(int Viewers, TimeSpan Step, TimeSpan StepCpu, TimeSpan ProcessCpu, TimeSpan AllComplete, int Complete, int Disconnected,
        bool OutOfOrder, double P99)
    {
        public string Text(TimeSpan alone) =>
            $"step {Step.TotalSeconds:F2} s ({Step.TotalSeconds / Math.Max(alone.TotalSeconds, 0.001):F1}x alone; producer CPU {StepCpu.TotalSeconds:F2} s, " +
            $"process CPU incl. clients {ProcessCpu.TotalSeconds:F1} s), all viewers done after {AllComplete.TotalSeconds:F1} s, " +
            $"complete {Complete}/{Viewers}, disconnected {Disconnected}{(OutOfOrder ? ", OUT OF ORDER" : "")}, line p99 {P99 / 1000:F1} s";
    }

    private static async Task<Burst> BurstAsync(WebBench bench, string hub, int viewers, int lines, PeakSampler? sampler)
    {
        var run = await bench.NewRunAsync();
        var clients = await ConnectAsync(bench, hub, viewers, latencies: true);
        try
        {
            foreach (var c in clients) c.Follow(run.Id, lines);
            await bench.WaitForViewersAsync(hub, run.Id, viewers);
            if (hub == RunHub.Path) await Task.WhenAll(clients.Select(c => c.Ready)).WaitAsync(TimeSpan.FromSeconds(60));
            sampler?.Start();
            var processCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            // The step: a transport printing as fast as it can, as `seq 1 200000` does; its own CPU from its thread's counters.
            var stepCpu = await Task.Factory.StartNew(() =>
            {
                var cpu = ThreadCpu();
                for (var i = 1; i <= lines; i++) bench.Feed.Append(run.Id, "bench", "master-0", OutputStream.Stdout, Text(i));
                return ThreadCpu() - cpu;
            }, TaskCreationOptions.LongRunning);
            var step = clock.Elapsed;
            await Task.WhenAll(clients.Select(c => c.Complete)).WaitAsync(TimeSpan.FromSeconds(180)).ContinueWith(_ => { }, TaskScheduler.Default);
            var done = clock.Elapsed;
            processCpu = Process.GetCurrentProcess().TotalProcessorTime - processCpu;
            var all = clients.SelectMany(c => c.LatenciesMs).Order().ToList();
            foreach (var error in clients.Where(c => c.Error is not null).GroupBy(c => c.Error).Take(3))
                Console.WriteLine($"    {error.Count()} viewer(s) on {hub}: {error.Key}");
            return new Burst(viewers, step, stepCpu, processCpu, done, clients.Count(c => c.Lines == lines && !c.OutOfOrder), clients.Count(c => c.Disconnected),
                clients.Any(c => c.OutOfOrder), Measure.Percentile(all, 0.99));
        }
        finally
        {
            await DisposeAllAsync(clients);
            await bench.SealAsync(run);
        }
    }

    private static async Task<List<HubViewer>> ConnectAsync(WebBench bench, string hub, int count, bool latencies)
    {
        var clients = new List<HubViewer>();
        for (var i = 0; i < count; i += 20)
            clients.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(20, count - i)).Select(_ => HubViewer.ConnectAsync(bench, hub, latencies))));
        return clients;
    }

    private static async Task DisposeAllAsync(List<HubViewer> clients) => await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));

    /// <summary>CPU time of the calling thread (Linux: utime + stime of /proc/thread-self/stat, 10 ms ticks).</summary>
    private static TimeSpan ThreadCpu()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
    }

    private static string Text(int i) => $"2026-12-03 10:00:00.000 I | etcdserver: applied index {i}, member 8e9e05c52164694d, raft term 7 ({i:D6})";

    /// <summary>Resident set sampled every 100 ms while a burst runs.</summary>
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
