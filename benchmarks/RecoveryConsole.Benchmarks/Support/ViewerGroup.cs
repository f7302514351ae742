namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// Viewers of one run spread over several viewer-client processes (<see cref="ClientsPerProcess"/> each): real viewers are
/// separate browsers or programs, and 200 clients in one process starve each other in its thread pool (measured: silences of
/// over a minute for some while others were served). The paused viewer, if any, is the first process's first client.
/// </summary>
public sealed class ViewerGroup : IAsyncDisposable
{
    public const int ClientsPerProcess = 20;

    private readonly List<ViewerProcess> _processes;

    public int Processes => _processes.Count;

    private ViewerGroup(List<ViewerProcess> processes) => _processes = processes;

    public sealed record Summary(double P50Ms, double P99Ms, double MaxMs, TimeSpan ClientsCpu);

    public static async Task<ViewerGroup> StartAsync(WebBench bench, string hubPath, Guid runId, int count, long expectedLast, TimeSpan wait,
        HubViewer.PausePlan? pause = null)
    {
        var starting = Enumerable.Range(0, (count + ClientsPerProcess - 1) / ClientsPerProcess)
            .Select(i => ViewerProcess.StartAsync(bench, hubPath, runId, Math.Min(ClientsPerProcess, count - i * ClientsPerProcess), expectedLast, wait,
                i == 0 ? pause : null))
            .ToList();
        try
        {
            return new ViewerGroup([.. await Task.WhenAll(starting)]);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until the client processes are idle (together under 10% of a core for half a second, at most
    /// <paramref name="limit"/>): after "ready" they still compile and collect for seconds (~1.6 s of CPU per process
    /// measured), which a burst started at once would count against the console's step. Returns the time and CPU it took.
    /// </summary>
    public async Task<(TimeSpan Waited, TimeSpan Cpu)> SettleAsync(TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var start = TotalCpu();
        var last = start;
        while (clock.Elapsed < limit)
        {
            await Task.Delay(500);
            var now = TotalCpu();
            if (now - last < TimeSpan.FromMilliseconds(50)) break;
            last = now;
        }
        return (clock.Elapsed, TotalCpu() - start);
    }

    private TimeSpan TotalCpu() => _processes.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Cpu);

    /// <summary>Every client's report, once all processes are done.</summary>
    public IReadOnlyList<ViewerReport> Viewers => [.. _processes.SelectMany(p => p.Viewers)];

    public async Task<Summary> DoneAsync()
    {
        var done = await Task.WhenAll(_processes.Select(p => p.DoneAsync()));
        var all = new LatencyHistogram();
        foreach (var d in done) all.AddAll(LatencyHistogram.FromPairs(d.Histogram ?? [], d.MaxMs ?? double.NaN));
        var cpu = done.Zip(_processes).Sum(x => (x.First.CpuMs ?? 0) - x.Second.ReadyCpuMs);
        return new Summary(all.Percentile(0.5), all.Percentile(0.99), all.MaxMs, TimeSpan.FromMilliseconds(cpu));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes) await process.DisposeAsync();
    }
}
