using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// Transcript ingest into SQLite, end to end (stamp, redact, writer, store): the sustained rate over 10,000,000 lines,
/// every line stored once, the console's memory sampled while it streams (flat: no growth with the transcript's size) and
/// after the run is sealed (back to the idle figure). Baseline in the same run: each line inserted on its own (what a
/// store without the batched writer would do). Stopwatch splits (redaction alone, SQLite alone) say where the time goes.
/// </summary>
public sealed class Ingest : IBenchmark
{
    public string Name => "ingest";
    public string Description => "transcript ingest into SQLite: sustained rate, none lost, memory flat while streaming and released after the seal";

    private const double TargetLinesPerSecond = 300_000;
    /// <summary>Flat: the last sample within this much of the first one after warm-up.</summary>
    private const double FlatTolerance = 0.20;
    /// <summary>Distinct lines cycled through (each Append still stores and keeps its own line object).</summary>
    private const int PrintedLines = 100_000;

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        var total = (int)(10_000_000 * scale);
        var sampleEvery = Math.Max(10_000, total / 20);
        await using var bench = await BenchHost.StartAsync("ingest");
        var feed = bench.Feed;
        var store = bench.Services.GetRequiredService<ITranscriptStore>();
        var redactor = bench.Services.GetRequiredService<Redactor>();
        // The step's lines, made before anything is measured: formatting them is the benchmark's cost, not the console's.
        var printed = Enumerable.Range(0, PrintedLines).Select(ChattyLine).ToArray();
        var idleManaged = Measure.ManagedMiB();
        var idleResident = Measure.ResidentMiB();
        report.Note($"idle: managed heap {idleManaged} MiB, RSS {idleResident} MiB");

        // Baseline: one INSERT per line, each its own transaction (the store called once per line).
        var baselineLines = (int)Math.Max(2_000, 20_000 * scale);
        var baselineRun = Guid.NewGuid();
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= baselineLines; i++)
            await store.AppendAsync([new TranscriptLine(baselineRun, i, "chatty", "master-0", OutputStream.Stdout, DateTimeOffset.UtcNow, printed[i % PrintedLines])], cancellationToken);
        var baselineRate = baselineLines / clock.Elapsed.TotalSeconds;
        var baseline = $"{baselineRate:N0} lines/s (one insert per line, {baselineLines:N0} lines)";

        // Where the time goes: redaction alone, and SQLite alone (batches of 5,000 straight into the store).
        var splitLines = (int)Math.Max(20_000, 1_000_000 * scale);
        var splitRun = Guid.NewGuid();
        clock.Restart();
        for (var i = 1; i <= splitLines; i++) redactor.RedactLine(splitRun, "chatty", "master-0", OutputStream.Stdout, printed[i % PrintedLines]);
        var redactRate = splitLines / clock.Elapsed.TotalSeconds;
        // SQLite alone, this layout against the previous one (rowid table + (RunId, Sequence) index), alternating halves.
        var previous = PreviousTranscriptLayout.Create(Path.Combine(bench.Folder, "previous-layout.db"));
        var now = DateTimeOffset.UtcNow;
        var half = splitLines / 2;
        TimeSpan storeTime = TimeSpan.Zero, previousTime = TimeSpan.Zero;
        for (var round = 0; round < 2; round++)
        {
            var first = round * half + 1;
            clock.Restart();
            foreach (var batch in Batches(splitRun, first, half, now, printed)) previous.Append(batch);
            previousTime += clock.Elapsed;
            clock.Restart();
            foreach (var batch in Batches(splitRun, first, half, now, printed)) await store.AppendAsync(batch, cancellationToken);
            storeTime += clock.Elapsed;
        }
        var storeRate = 2 * half / storeTime.TotalSeconds;
        var previousRate = 2 * half / previousTime.TotalSeconds;
        report.Note($"splits over {2 * half:N0} lines: redaction alone {redactRate:N0} lines/s; SQLite alone (batches of 5,000) {storeRate:N0} lines/s " +
                    $"vs {previousRate:N0} lines/s in the previous layout (rowid table + (RunId, Sequence) index, same run)");
        report.Add("SQLite alone: one B-tree keyed by run key and sequence", $"{storeRate:N0} lines/s", "", $"previous layout {previousRate:N0} lines/s", null);

        // The figure: lines through RunFeed.Append (stamp, redact, writer) until all are committed.
        var run = await bench.NewRunAsync();
        var samples = new List<(int Lines, long Managed, long Resident)>();
        var sampling = TimeSpan.Zero; // the samples' full collections are left out of the rate
        clock.Restart();
        for (var i = 1; i <= total; i++)
        {
            feed.Append(run.Id, "chatty", "master-0", i % 20 == 0 ? OutputStream.Stderr : OutputStream.Stdout, printed[i % PrintedLines]);
            if (i % sampleEvery != 0) continue;
            var started = Stopwatch.GetTimestamp();
            samples.Add((i, Measure.ManagedMiB(), Measure.ResidentMiB()));
            sampling += Stopwatch.GetElapsedTime(started);
        }
        await feed.FlushAsync(run.Id, cancellationToken);
        var rate = total / (clock.Elapsed - sampling).TotalSeconds;
        var stored = await CountStoredAsync(bench, run.Id);
        report.Add($"{total:N0} lines ingested end to end (Append to committed)", $"{rate:N0} lines/s",
            $">= {TargetLinesPerSecond:N0} lines/s", baseline, rate >= TargetLinesPerSecond);
        report.Add("lines stored / appended", $"{stored.Count:N0} / {total:N0} (highest sequence {stored.Max:N0})", "all, none lost", "", stored.Count == total && stored.Max == total);

        var warm = samples.Count > 2 ? samples[1] : samples[0];
        var last = samples[^1];
        var flat = last.Managed <= warm.Managed * (1 + FlatTolerance) + 8;
        report.Add($"managed heap while streaming (after {warm.Lines:N0} → {last.Lines:N0} lines)", $"{warm.Managed} → {last.Managed} MiB (RSS {warm.Resident} → {last.Resident} MiB)",
            $"flat (within {FlatTolerance:P0} + 8 MiB)", $"idle {idleManaged} MiB", flat);

        var (sealedLines, sealSeconds) = await SealAsync(store, run.Id, cancellationToken);
        report.Add($"seal of {sealedLines:N0} lines", $"{sealSeconds:F1} s ({sealedLines / sealSeconds:N0} lines/s)", "", "", null);
        var afterManaged = Measure.ManagedMiB();
        var afterResident = Measure.ResidentMiB();
        report.Add("managed heap after the run is sealed and unwatched", $"{afterManaged} MiB (RSS {afterResident} MiB)", "back to idle (+8 MiB)",
            $"idle {idleManaged} MiB (RSS {idleResident} MiB)", afterManaged <= idleManaged + 8);
        report.Note($"samples (lines: managed/RSS MiB): {string.Join(", ", samples.Select(s => $"{s.Lines / 1000:N0}k: {s.Managed}/{s.Resident}"))}");
        report.Note($"database {bench.DatabaseMiB():N0} MiB (+WAL)");
    }

    /// <summary>The run's end: digest and per-line tags over the stored transcript. Only figures come back, so what the seal
    /// held (the tags: 4 bytes a line) is the console's to release, not kept alive by this benchmark.</summary>
    private static async Task<(long Lines, double Seconds)> SealAsync(ITranscriptStore store, Guid runId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var seal = await TranscriptDigest.SealAsync(store, runId, cancellationToken);
        return (seal.Lines, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Batches of 5,000 lines (made as the benchmark goes: the writer's batches are made by the console too).</summary>
    private static IEnumerable<List<TranscriptLine>> Batches(Guid run, int first, int count, DateTimeOffset now, string[] printed)
    {
        var batch = new List<TranscriptLine>(5_000);
        for (var i = first; i < first + count; i++)
        {
            batch.Add(new TranscriptLine(run, i, "chatty", "master-0", OutputStream.Stdout, now, printed[i % PrintedLines]));
            if (batch.Count == 5_000) { yield return batch; batch = new List<TranscriptLine>(5_000); }
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>A chatty step's output: mostly plain log lines, some with words the redactor must look at twice.</summary>
    private static string ChattyLine(int i) => (i % 10) switch
    {
        0 => $"I1122 03:00:00.000000 1 etcd.go:{i}] member etcd-{i % 3} applied index {i}, key /registry/pods/ns/p{i}",
        5 => $"+ etcdctl --endpoints=https://10.0.0.{i % 250}:2379 endpoint status --write-out=table  # round {i}",
        _ => $"I1122 03:00:00.000000 1 controller.go:{i}] line {i} of a chatty step",
    };

    private static async Task<(long Count, long Max)> CountStoredAsync(BenchHost bench, Guid runId)
    {
        var options = bench.Services.GetRequiredService<AuditStoreOptions>();
        await using var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(MAX(l.Id & 4294967295), 0) FROM TranscriptRuns r JOIN TranscriptLines l " +
                              "ON l.Id BETWEEN r.RunKey << 32 AND (r.RunKey << 32) + 4294967295 WHERE r.RunId = $run";
        command.Parameters.AddWithValue("$run", runId.ToByteArray());
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
