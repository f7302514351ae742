using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

// Figures for the transcript path: how fast a chatty step's lines are accepted (the step must never wait on
// SQLite), how long until they are all stored, and how fast a late viewer receives a long transcript.
var lines = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var folder = Path.Combine(Path.GetTempPath(), "rc-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(Path.Combine(folder, "procedures"));
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
builder.Services.AddLogging();
builder.Services.AddAuditStore(Path.Combine(folder, "bench.db"));
builder.Services.AddOrchestration(folder);
builder.Services.AddSingleton<IClusterRegistry, NoClusters>();
using var host = builder.Build();
await host.Services.MigrateAuditStoreAsync(CancellationToken.None);
await host.StartAsync();
var feed = host.Services.GetRequiredService<RunFeed>();
var runs = host.Services.GetRequiredService<IRunRepository>();

var run = new Run("bench", "Benchmark", "0", "none", true, "{}", "bench", DateTimeOffset.UtcNow);
await runs.AddAsync(run, CancellationToken.None);
await feed.OpenAsync(run.Id, CancellationToken.None);

var clock = Stopwatch.StartNew();
for (var i = 1; i <= lines; i++)
    feed.Append(run.Id, "chatty", "master-0", i % 20 == 0 ? OutputStream.Stderr : OutputStream.Stdout, $"I1122 03:00:00.000000 1 controller.go:{i}] line {i} of a chatty step");
var accepted = clock.Elapsed;
await feed.FlushAsync(run.Id, CancellationToken.None);
var stored = clock.Elapsed;
Console.WriteLine($"append: {lines:N0} lines accepted in {accepted.TotalSeconds:F2} s = {lines / accepted.TotalSeconds:N0} lines/s (the step's side)");
Console.WriteLine($"store:  all {lines:N0} lines in SQLite after {stored.TotalSeconds:F2} s = {lines / stored.TotalSeconds:N0} lines/s end to end");

clock.Restart();
long received = 0;
using var stop = new CancellationTokenSource();
await foreach (var e in feed.FollowAsync(run.Id, 0, stop.Token))
{
    if (e is LinesAppended batch) received += batch.Lines.Count;
    if (e is RunUpdated) break; // the snapshot comes after the stored history
}
Console.WriteLine($"follow: a late viewer received {received:N0} stored lines in {clock.Elapsed.TotalSeconds:F2} s = {received / clock.Elapsed.TotalSeconds:N0} lines/s");
// A live viewer of a paced step (bursts of 10 lines every millisecond or so): how long from Append until the viewer has the
// line. Viewers get a line once it is stored, so this is the writer's commit latency plus the fan-out.
const int paced = 20_000;
var live = new Run("bench", "Benchmark", "0", "none", true, "{}", "bench", DateTimeOffset.UtcNow);
await runs.AddAsync(live, CancellationToken.None);
await feed.OpenAsync(live.Id, CancellationToken.None);
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
});
await Task.Delay(200); // the viewer has subscribed
for (var i = 1; i <= paced; i++)
{
    appendedAt[i] = Stopwatch.GetTimestamp();
    feed.Append(live.Id, "paced", "master-0", OutputStream.Stdout, $"paced line {i}");
    if (i % 10 == 0) Thread.Sleep(1);
}
await viewer.WaitAsync(TimeSpan.FromMinutes(2));
latencies.Sort();
double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
Console.WriteLine($"live:   a viewer following a paced step got each of {paced:N0} lines after p50 {Percentile(0.50):F1} ms, p99 {Percentile(0.99):F1} ms, max {latencies[^1]:F1} ms");
Console.WriteLine($"memory: {GC.GetTotalMemory(false) / 1024 / 1024:N0} MiB managed heap after the run; database {new FileInfo(Path.Combine(folder, "bench.db")).Length / 1024 / 1024:N0} MiB (+WAL)");
await host.StopAsync();
Directory.Delete(folder, true);

internal sealed class NoClusters : IClusterRegistry
{
    public IReadOnlyList<ClusterInfo> List() => [];
    public ClusterConnection? Find(string name) => null;
}
