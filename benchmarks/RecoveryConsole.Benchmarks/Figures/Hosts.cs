using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// One command on 200 lab hosts at once: a one-step procedure (<c>forEach: { hosts: allHosts, mode: parallel }</c> on a run step) run through
/// RunService against a benchmark-only lab cluster of 3 masters and 197 workers. Measured: the spread of the hosts' command
/// starts (first to last, from each host's step record: when the engine began that host's command), the whole run's time and
/// the console's memory; the same with <c>mode: together</c> (the engine's barrier). Baseline in the same run: the same
/// procedure with <c>mode: sequential</c> (one host after the other).
/// </summary>
public sealed class Hosts : IBenchmark
{
    public string Name => "hosts";
    public string Description => "one command on 200 lab hosts at once (RunService, forEach parallel): start spread, memory";

    private const string ClusterName = "lab-bench-200";

    private static string Procedure(string id, string mode) => EveryHostProcedure.Yaml(id, mode, "A harmless command on every host", "true");

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        var hostCount = Math.Max(10, (int)(200 * scale));
        var workers = Enumerable.Range(0, hostCount - 3)
            .Select(i => new HostInfo($"worker-{i}", $"198.51.{100 + i / 250}.{i % 250 + 1}", [HostRoles.Worker]));
        var info = LabClusterCatalog.DemoOpenShift() with
        {
            Name = ClusterName,
            Hosts = [.. LabClusterCatalog.DemoOpenShift().Hosts.Where(h => h.Roles.Contains(HostRoles.ControlPlane)), .. workers],
        };
        var lab = new LabClusterRegistry(new LabOptions(), TimeProvider.System, [info]);
        await using var bench = await BenchHost.StartAsync("hosts", lab, new Dictionary<string, string>
        {
            ["bench-parallel.yaml"] = Procedure("bench-parallel", "parallel"),
            ["bench-sequential.yaml"] = Procedure("bench-sequential", "sequential"),
            ["bench-together.yaml"] = Procedure("bench-together", "together"),
        });
        var idle = Measure.ResidentMiB();
        var service = bench.Services.GetRequiredService<RunService>();
        var runs = bench.Services.GetRequiredService<IRunRepository>();
        var actor = new Actor("bench", [Roles.Operator]);

        async Task<(TimeSpan Spread, TimeSpan Whole, int Hosts, long PeakMiB, string Released)> RunOnceAsync(string procedure)
        {
            var clock = Stopwatch.StartNew();
            var id = await service.StartAsync(new StartRunRequest(procedure, ClusterName, new Dictionary<string, string?>()), actor, cancellationToken);
            long peak = 0;
            Run? run;
            while (true)
            {
                peak = Math.Max(peak, Measure.ResidentMiB());
                run = await runs.GetAsync(id, cancellationToken);
                if (run is not null && run.Status.IsFinal() && run.TranscriptDigest is not null) break;
                await Task.Delay(20, cancellationToken);
            }
            var whole = clock.Elapsed;
            if (run.Status != RunStatus.Succeeded) throw new InvalidOperationException($"The {procedure} run ended {run.Status}: {run.StatusReason}");
            // Each host's own record of the command (the host's, not the step's summary record).
            var starts = run.Steps.Where(s => s.StepPath == "cmd" && s.Host.Length > 0 && s.StartedAt is not null)
                .GroupBy(s => s.Host).Select(g => g.Min(s => s.StartedAt!.Value)).ToList();
            // mode: together says in the transcript how far apart the barrier released the commands (wall clock).
            var transcript = await bench.Services.GetRequiredService<RecoveryConsole.Orchestration.Transcript.ITranscriptStore>().ReadAsync(id, 0, 100_000, cancellationToken);
            var released = transcript.FirstOrDefault(l => l.Text.StartsWith("Started on ", StringComparison.Ordinal))?.Text;
            released = released is null ? "" : released[..Math.Max(0, released.IndexOf(" (run clock", StringComparison.Ordinal))];
            return (starts.Max() - starts.Min(), whole, starts.Count, peak, released);
        }

        var serial = await RunOnceAsync("bench-sequential");
        var parallel = await RunOnceAsync("bench-parallel");
        var together = await RunOnceAsync("bench-together");
        report.Add($"one command on {parallel.Hosts} lab hosts at once: first to last start", $"{parallel.Spread.TotalMilliseconds:N0} ms (run {parallel.Whole.TotalSeconds:F1} s)",
            "all started within 1 s", $"one after the other: {serial.Spread.TotalMilliseconds:N0} ms (run {serial.Whole.TotalSeconds:F1} s)", parallel.Spread < TimeSpan.FromSeconds(1) && parallel.Hosts == hostCount);
        var releasedMs = double.TryParse(System.Text.RegularExpressions.Regex.Match(together.Released, @"within ([\d.,]+) ms").Groups[1].Value.Replace(",", ""),
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : double.NaN;
        report.Add($"the same with mode: together: commands released by the barrier", $"{together.Released} (records {together.Spread.TotalMilliseconds:N0} ms apart: bookkeeping before the barrier; run {together.Whole.TotalSeconds:F1} s)",
            "all started within 1 s", "", releasedMs < 1000);
        var peak = Math.Max(parallel.PeakMiB, together.PeakMiB);
        report.Add($"console memory during the {hostCount}-host runs (RSS, peak sampled)", $"{peak} MiB", "< 500 MB", $"idle {idle} MiB", peak * 1024 * 1024 < 500_000_000);
    }
}
