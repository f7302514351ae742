using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh;
using RecoveryConsole.Transports.Ssh.Keys;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

// Figures for the SSH transport against a local sshd (loopback: no network latency, so the ratio shows what
// connection setup costs; on a real network each new connection also pays round trips).
//   dotnet run -c Release --project benchmarks/RecoveryConsole.Benchmarks.Ssh [runs] [lines]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var lines = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;

using var server = SshdServer.Start();
var settings = new SshSettings();
var keys = new DataProtectedSshKeyStore(new EphemeralDataProtectionProvider(), Path.Combine(server.Directory, "keys"), settings);
await keys.ImportAsync("bench", await File.ReadAllTextAsync(server.ClientKeyPath), null, CancellationToken.None);
SshClusterProfile Profile(bool reuse) => new()
{
    User = SshdServer.User, Port = server.Port, KeyId = "bench", KnownHostsFile = server.KnownHosts(HostKeyTrust.RealKey), ReuseConnections = reuse,
};
var host = new HostInfo("master-0", "127.0.0.1", [HostRoles.ControlPlane]);

Console.WriteLine($"OpenSSH against a local sshd on 127.0.0.1:{server.Port}; {Environment.ProcessorCount} cores");

// 1. Round trip of `true`.
await using (var reused = new SshHostTransport(Profile(reuse: true), settings, keys))
await using (var fresh = new SshHostTransport(Profile(reuse: false), settings, keys))
{
    var withReuse = await RoundTripsAsync(reused);
    var withoutReuse = await RoundTripsAsync(fresh);
    Console.WriteLine($"round trip `true`, {runs} runs, reused master:   {Describe(withReuse)}");
    Console.WriteLine($"round trip `true`, {runs} runs, new connection: {Describe(withoutReuse)}");
    Console.WriteLine($"ratio new/reused (median): {Median(withoutReuse) / Median(withReuse):F1}x");
    var checks = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var checkClock = Stopwatch.StartNew();
        await reused.MasterPidAsync(host, CancellationToken.None);
        checks.Add(checkClock.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"of which the master check (ssh -O check): {Describe(checks)}");

    // 2. Throughput into a sink that only counts.
    var counter = new CountingSink();
    var clock = Stopwatch.StartNew();
    var exit = await reused.RunAsync(host, $"seq 1 {lines}", counter, CancellationToken.None);
    clock.Stop();
    Check(exit == 0 && counter.Count == lines && counter.InOrder, $"counting sink got {counter.Count} lines, in order: {counter.InOrder}");
    Console.WriteLine($"seq 1 {lines:N0} -> counting sink: {clock.Elapsed.TotalSeconds:F2} s = {lines / clock.Elapsed.TotalSeconds:N0} lines/s");

    // 3. Throughput into the real transcript store (RunFeed: stamp, redact, batched SQLite writer).
    await TranscriptAsync(reused);
}

async Task<List<double>> RoundTripsAsync(SshHostTransport transport)
{
    var sink = new CountingSink();
    Check(await transport.RunAsync(host, "true", sink, CancellationToken.None) == 0, "warm-up failed"); // key file, known_hosts, first master
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        Check(await transport.RunAsync(host, "true", sink, CancellationToken.None) == 0, "`true` failed");
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    return times;
}

async Task TranscriptAsync(SshHostTransport transport)
{
    var folder = Path.Combine(Path.GetTempPath(), "rc-bench-ssh-" + Guid.NewGuid().ToString("N")[..8]);
    Directory.CreateDirectory(Path.Combine(folder, "procedures"));
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
    builder.Services.AddLogging();
    builder.Services.AddAuditStore(Path.Combine(folder, "bench.db"));
    builder.Services.AddOrchestration(folder);
    builder.Services.AddSingleton<IClusterRegistry, NoClusters>();
    using var app = builder.Build();
    await app.Services.MigrateAuditStoreAsync(CancellationToken.None);
    await app.StartAsync();
    var feed = app.Services.GetRequiredService<RunFeed>();
    var run = new Run("bench-ssh", "Benchmark", "0", "none", true, "{}", "bench", DateTimeOffset.UtcNow);
    await app.Services.GetRequiredService<IRunRepository>().AddAsync(run, CancellationToken.None);
    await feed.OpenAsync(run.Id, CancellationToken.None);

    var sink = new FeedSink(feed, run.Id);
    var clock = Stopwatch.StartNew();
    var exit = await transport.RunAsync(host, $"seq 1 {lines}", sink, CancellationToken.None);
    var received = clock.Elapsed;
    await feed.FlushAsync(run.Id, CancellationToken.None);
    var stored = clock.Elapsed;
    Check(exit == 0 && sink.Count == lines, $"transcript sink got {sink.Count} lines");
    Console.WriteLine($"seq 1 {lines:N0} -> RunFeed: all lines received in {received.TotalSeconds:F2} s = {lines / received.TotalSeconds:N0} lines/s; " +
                      $"all in SQLite after {stored.TotalSeconds:F2} s = {lines / stored.TotalSeconds:N0} lines/s end to end");
    await app.StopAsync();
    Directory.Delete(folder, true);
}

static string Describe(List<double> ms)
{
    var sorted = ms.Order().ToList();
    return $"mean {ms.Average():F1} ms, median {Median(ms):F1} ms, p95 {sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1]:F1} ms, min {sorted[0]:F1} ms";
}

static double Median(List<double> ms)
{
    var sorted = ms.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Check(bool condition, string message)
{
    if (!condition) throw new InvalidOperationException(message);
}

internal sealed class CountingSink : IOutputSink
{
    public int Count;
    public bool InOrder = true;

    public void Line(OutputStream stream, string text)
    {
        if (stream != OutputStream.Stdout) return;
        Count++;
        if (InOrder && text != Count.ToString(CultureInfo.InvariantCulture)) InOrder = false;
    }
}

/// <summary>What the engine's StepOutput does with each line: hand it to the run's feed.</summary>
internal sealed class FeedSink(RunFeed feed, Guid runId) : IOutputSink
{
    public int Count;

    public void Line(OutputStream stream, string text)
    {
        feed.Append(runId, "seq", "master-0", stream, text);
        if (stream == OutputStream.Stdout) Count++;
    }
}

internal sealed class NoClusters : IClusterRegistry
{
    public IReadOnlyList<ClusterInfo> List() => [];
    public ClusterConnection? Find(string name) => null;
}
