using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// One command on 50 hosts over real SSH: 50 loopback addresses served by real sshd (<see cref="LoopbackSshHosts"/>), reached
/// by the console's OpenSSH transport (a master connection per host), a one-step procedure with <c>mode: together</c> run
/// through RunService. Each host prints <c>date +%s.%N</c>, so the start is taken on the host, not when the console
/// released the command: the figure is the first-to-last spread of those, plus the run's time and the console's RSS
/// (and, apart, the ssh client processes' RSS). Baseline in the same run: <c>mode: sequential</c>, one host after the other.
/// </summary>
public sealed class HostsOverSsh : IBenchmark
{
    public string Name => "hosts-ssh";
    public string Description => "one command on 50 hosts over real SSH together (RunService, OpenSSH, sshd on 127.0.1.x): start spread on the hosts, memory";

    private const string ClusterName = "ssh-bench-50";

    private static string Procedure(string id, string mode) => EveryHostProcedure.Yaml(id, mode, "The time on every host", "date +%s.%N");

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        var hostCount = Math.Max(4, (int)Math.Round(50 * scale));
        using var servers = LoopbackSshHosts.Start(hostCount);
        var hosts = servers.Addresses.Select((address, i) => i < 3
            ? new HostInfo($"master-{i}", address, [HostRoles.ControlPlane])
            : new HostInfo($"worker-{i - 3}", address, [HostRoles.Worker])).ToList();
        var lab = new LabClusterRegistry(new LabOptions(), TimeProvider.System, [LabClusterCatalog.DemoOpenShift() with { Name = ClusterName }]);
        var info = lab.Find(ClusterName)!.Info with { IsSimulated = false, Hosts = hosts };

        // Short runtime directory: control socket paths are limited to 108 bytes.
        var runtime = System.IO.Directory.CreateDirectory(Path.Combine("/tmp", "rcb-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        var settings = new SshSettings { RuntimeDirectory = runtime };
        var keys = new DataProtectedSshKeyStore(new EphemeralDataProtectionProvider(), Path.Combine(servers.Directory, "keys"), settings);
        await keys.ImportAsync("bench", await File.ReadAllTextAsync(servers.ClientKeyPath, cancellationToken), null, cancellationToken);
        await using var transport = new SshHostTransport(new SshClusterProfile
        {
            User = LoopbackSshHosts.User, Port = servers.Port, KeyId = "bench", KnownHostsFile = servers.KnownHostsPath,
        }, settings, keys);
        var registry = new OneCluster(new ClusterConnection(info, transport, lab.Find(ClusterName)!.Api));

        await using var bench = await BenchHost.StartAsync("hosts-ssh", registry, new Dictionary<string, string>
        {
            ["bench-ssh-together.yaml"] = Procedure("bench-ssh-together", "together"),
            ["bench-ssh-sequential.yaml"] = Procedure("bench-ssh-sequential", "sequential"),
        });
        Console.WriteLine($"{hostCount} hosts on {servers.Servers} sshd (127.0.1.x:{servers.Port}, {LoopbackSshHosts.HostsPerServer} addresses each, default MaxStartups)");
        // Every host's master connection first, timed on its own: the run's preflight (30 s) would otherwise pay for 50 logins
        // on a machine where the other engineers' builds leave a fraction of a core.
        var logins = Stopwatch.StartNew();
        await Task.WhenAll(hosts.Select(h => transport.ConnectAsync(h, cancellationToken)));
        logins.Stop();
        Console.WriteLine($"{hostCount} master connections opened in {logins.Elapsed.TotalSeconds:F1} s ({settings.MaxConcurrentLogins} logins at a time)");
        var idle = Measure.ResidentMiB();
        var service = bench.Services.GetRequiredService<RunService>();
        var runs = bench.Services.GetRequiredService<IRunRepository>();
        var transcripts = bench.Services.GetRequiredService<ITranscriptStore>();
        var actor = new Actor("bench", [Roles.Operator]);

        async Task<Outcome> RunOnceAsync(string procedure)
        {
            var clock = Stopwatch.StartNew();
            var id = await service.StartAsync(new StartRunRequest(procedure, ClusterName, new Dictionary<string, string?>()), actor, cancellationToken);
            long peak = 0, sshPeak = 0;
            Run? run;
            while (true)
            {
                peak = Math.Max(peak, Measure.ResidentMiB());
                sshPeak = Math.Max(sshPeak, SshClientsMiB(runtime));
                run = await runs.GetAsync(id, cancellationToken);
                if (run is not null && run.Status.IsFinal() && run.TranscriptDigest is not null) break;
                await Task.Delay(20, cancellationToken);
            }
            var whole = clock.Elapsed;
            var lines = await transcripts.ReadAsync(id, 0, 100_000, cancellationToken);
            if (run.Status != RunStatus.Succeeded)
                throw new InvalidOperationException($"The {procedure} run ended {run.Status}: {run.StatusReason}\n" +
                                                    string.Join('\n', lines.TakeLast(20).Select(l => $"[{l.StepPath}@{l.Host}] {l.Text}")));
            // What each host's clock said when its command began (same machine, same clock as the console).
            var onHosts = lines.Where(l => l.StepPath == "cmd" && l.Stream == OutputStream.Stdout)
                .Select(l => double.Parse(l.Text, CultureInfo.InvariantCulture)).ToList();
            var step = run.Steps.Single(s => s.StepPath == "cmd" && s.Host.Length == 0);
            var released = lines.FirstOrDefault(l => l.Text.StartsWith("Started on ", StringComparison.Ordinal))?.Text;
            released = released is null ? "" : released[..Math.Max(0, released.IndexOf(" (run clock", StringComparison.Ordinal))];
            return new Outcome(TimeSpan.FromSeconds(onHosts.Max() - onHosts.Min()), whole, (step.EndedAt - step.StartedAt) ?? TimeSpan.Zero,
                onHosts.Count, peak, sshPeak, released);
        }

        var together = await RunOnceAsync("bench-ssh-together");
        var again = await RunOnceAsync("bench-ssh-together");
        var serial = await RunOnceAsync("bench-ssh-sequential");
        foreach (var (name, o) in new[] { ("together, first run", together), ("together, second run", again), ("sequential", serial) })
            Console.WriteLine($"{name}: {o.Hosts} hosts started {o.Spread.TotalMilliseconds:N0} ms apart on the hosts; {o.Released}; step {o.Step.TotalSeconds:F1} s, run {o.Whole.TotalSeconds:F1} s; console RSS peak {o.PeakMiB} MiB, ssh clients {o.SshMiB} MiB");
        var best = together.Spread < again.Spread ? together : again;
        report.Add($"one command on {together.Hosts} hosts over real SSH (mode: together): first to last start on the hosts",
            $"{together.Spread.TotalMilliseconds:N0} ms, then {again.Spread.TotalMilliseconds:N0} ms (barrier: {together.Released[(together.Released.IndexOf("within", StringComparison.Ordinal) + 7)..]}; run {together.Whole.TotalSeconds:F1} s, {again.Whole.TotalSeconds:F1} s; {hostCount} logins before: {logins.Elapsed.TotalSeconds:F1} s)",
            "all started within 1 s", $"one after the other: {serial.Spread.TotalMilliseconds:N0} ms (run {serial.Whole.TotalSeconds:F1} s)",
            best.Spread < TimeSpan.FromSeconds(1) && together.Hosts == hostCount && again.Hosts == hostCount && together.Spread < TimeSpan.FromSeconds(1) && again.Spread < TimeSpan.FromSeconds(1));
        var peak = Math.Max(together.PeakMiB, Math.Max(again.PeakMiB, serial.PeakMiB));
        var ssh = Math.Max(together.SshMiB, Math.Max(again.SshMiB, serial.SshMiB));
        report.Add($"console memory during the {hostCount}-host SSH runs (RSS, peak sampled)", $"{peak} MiB (+ {ssh} MiB in the {hostCount} ssh master processes)",
            "< 500 MB", $"idle {idle} MiB", peak * 1024 * 1024 < 500_000_000);
        try { System.IO.Directory.Delete(runtime, true); } catch (IOException) { }
    }

    private sealed record Outcome(TimeSpan Spread, TimeSpan Whole, TimeSpan Step, int Hosts, long PeakMiB, long SshMiB, string Released);

    /// <summary>Resident memory of the ssh client processes whose command line names the transport's runtime directory, MiB.</summary>
    private static long SshClientsMiB(string runtime)
    {
        long kib = 0;
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(runtime, StringComparison.Ordinal)) continue;
                var rss = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (rss is not null) kib += long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return kib / 1024;
    }

    private sealed class OneCluster(ClusterConnection connection) : IClusterRegistry
    {
        public IReadOnlyList<ClusterInfo> List() => [connection.Info];
        public ClusterConnection? Find(string name) => name == connection.Info.Name ? connection : null;
    }
}
