using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit;
using RecoveryConsole.Audit.Transcript;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// Search over many runs' transcripts: the FTS5 trigram index against LIKE over the same rows (the naive baseline), for
/// several texts (rare, common, absent), across all runs and within one run, and how fast the indexer builds and catches up.
/// Lines are written through the store's own append path; the index is built by the same indexer the console runs.
/// </summary>
public sealed class TranscriptSearchFigures : IBenchmark
{
    public string Name => "search";
    public string Description => "search over 10,000 runs / 10,000,000 lines: FTS5 trigram vs LIKE, p50/p99; index build and catch-up rate";

    private const int Take = 50;

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        var runs = Math.Max(10, (int)(10_000 * scale));
        var lines = Math.Max(10_000, (long)(10_000_000 * scale));
        var perRun = (int)(lines / runs);
        var folder = Measure.TempFolder("search");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuditStore(Path.Combine(folder, "bench.db"));
        await using var provider = services.BuildServiceProvider();
        try
        {
            await provider.MigrateAuditStoreAsync(cancellationToken);
            var store = provider.GetRequiredService<ITranscriptStore>();
            var query = provider.GetRequiredService<ITranscriptQuery>();
            var indexer = provider.GetRequiredService<TranscriptSearchIndexer>();
            var random = new Random(42);
            var runIds = Enumerable.Range(0, runs).Select(_ => Guid.NewGuid()).ToArray();
            var requestIds = new List<string>();

            var clock = Stopwatch.StartNew();
            var batch = new List<TranscriptLine>(10_000);
            foreach (var run in runIds)
            {
                for (var seq = 1; seq <= perRun; seq++)
                {
                    var text = LineText(random, seq, out var requestId);
                    if (random.Next(2_000) == 0) requestIds.Add(requestId);
                    batch.Add(new TranscriptLine(run, seq, seq % 40 == 0 ? "" : $"restore-etcd[master-{seq % 3}]/step-{seq % 7}",
                        $"master-{seq % 3}", seq % 25 == 0 ? OutputStream.Stderr : OutputStream.Stdout, DateTimeOffset.UtcNow, text));
                    if (batch.Count == 10_000) { await store.AppendAsync(batch, cancellationToken); batch.Clear(); }
                }
            }
            if (batch.Count > 0) await store.AppendAsync(batch, cancellationToken);
            var total = (long)runs * perRun;
            report.Note($"{runs:N0} runs, {total:N0} lines written in {clock.Elapsed.TotalSeconds:N1} s ({Measure.Rate(total, clock.Elapsed)})");

            // The tail the indexer has not reached: searched with LIKE, so the figures include that cost for the last 1%.
            var tail = total / 100;
            clock.Restart();
            var built = 0L;
            for (int n; built < total - tail
                 && (n = await indexer.IndexNextAsync((int)Math.Min(TranscriptSearchIndexer.DefaultBatch, total - tail - built), cancellationToken)) > 0;) built += n;
            report.Add($"index build: {built:N0} lines into FTS5 (trigram)", Measure.Rate(built, clock.Elapsed), "", "", null);
            report.Note($"database {new FileInfo(Path.Combine(folder, "bench.db")).Length / 1024 / 1024:N0} MiB with the index");

            string[] texts = [requestIds[0], requestIds[^1], "etcd-member-ip-10-0-1-42", "applied index 1234", "no-such-text-anywhere"];
            await using var connection = new SqliteConnection(provider.GetRequiredService<Audit.Storage.AuditStoreOptions>().ConnectionString);
            await connection.OpenAsync(cancellationToken);

            var fts = new List<double>();
            var like = new List<double>();
            foreach (var text in texts) await query.SearchAllAsync(text, Take, cancellationToken); // warm the page cache once
            foreach (var text in texts)
            {
                var each = new List<double>();
                for (var round = 0; round < 10; round++) each.Add(await TimeAsync(() => query.SearchAllAsync(text, Take, cancellationToken)));
                var hits = await query.SearchAllAsync(text, Take, cancellationToken);
                like.Add(await TimeAsync(() => LikeAllAsync(connection, text, cancellationToken)));
                each.Sort();
                report.Note($"\"{text}\": {hits.Lines.Count:N0}{(hits.More ? "+" : "")} hits; FTS5 p50 {Measure.Percentile(each, 0.5):N1} ms, max {each[^1]:N1} ms; LIKE {like[^1]:N0} ms");
                fts.AddRange(each);
            }
            fts.Sort();
            like.Sort();
            var p99 = Measure.Percentile(fts, 0.99);
            report.Add($"search all {runs:N0} runs / {total:N0} lines, {texts.Length} texts x10 (p50 / p99)",
                $"{Measure.Percentile(fts, 0.5):N1} / {p99:N1} ms", "< 200 ms", $"LIKE {Measure.Percentile(like, 0.5):N0} / {like[^1]:N0} ms", p99 < 200);

            var inRun = new List<double>();
            var likeRun = new List<double>();
            for (var round = 0; round < 10; round++)
            {
                var run = runIds[random.Next(runIds.Length)];
                foreach (var text in texts) inRun.Add(await TimeAsync(() => query.SearchRunAsync(run, TranscriptFilter.None, text, 1_000, cancellationToken)));
                if (round < 2) foreach (var text in texts) likeRun.Add(await TimeAsync(() => LikeRunAsync(connection, run, text, cancellationToken)));
            }
            inRun.Sort();
            likeRun.Sort();
            var p99Run = Measure.Percentile(inRun, 0.99);
            report.Add($"search one run of {perRun:N0} lines (p50 / p99)", $"{Measure.Percentile(inRun, 0.5):N1} / {p99Run:N1} ms", "< 200 ms",
                $"LIKE {Measure.Percentile(likeRun, 0.5):N1} / {likeRun[^1]:N1} ms", p99Run < 200);

            clock.Restart();
            var caughtUp = await indexer.CatchUpAsync(cancellationToken);
            report.Add($"catch-up: the last {caughtUp:N0} lines", Measure.Rate(caughtUp, clock.Elapsed), "", "", null);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    private static string LineText(Random random, int seq, out string requestId)
    {
        requestId = $"req-{random.NextInt64():x16}";
        return (seq % 4) switch
        {
            0 => $"I1203 10:00:00.{seq:D6} 1 raft.go:{seq % 900}] etcd-member-ip-10-0-{random.Next(4)}-{random.Next(256)} applied index {random.Next(1_000_000)} term 7 {requestId}",
            1 => $"restoring snapshot chunk {seq}: {random.Next(1 << 20)} bytes written to /var/lib/etcd/member/snap",
            2 => $"pod/etcd-ip-10-0-{random.Next(4)}-{random.Next(256)}.ec2.internal condition met {requestId}",
            _ => $"Waiting for the static pod to start ({seq}): kubelet reports Running for {random.Next(60)}s",
        };
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> search)
    {
        var clock = Stopwatch.StartNew();
        await search();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>The naive way: a LIKE scan for the newest hits (and one more, to know there are more), as the search answers.</summary>
    private static async Task<int> LikeAllAsync(SqliteConnection connection, string text, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Id, Text FROM TranscriptLines WHERE Text LIKE $like ESCAPE '\\' ORDER BY Id DESC LIMIT {Take + 1}";
        command.Parameters.AddWithValue("$like", TranscriptSearchText.LikePattern(text));
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        do { while (await reader.ReadAsync(cancellationToken)) rows++; } while (await reader.NextResultAsync(cancellationToken));
        return rows;
    }

    private static async Task<int> LikeRunAsync(SqliteConnection connection, Guid run, string text, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT l.Id, l.Text FROM TranscriptRuns r JOIN TranscriptLines l ON l.Id BETWEEN r.RunKey << 32 AND (r.RunKey << 32) + 4294967295 " +
                              "WHERE r.RunId = $run AND l.Text LIKE $like ESCAPE '\\' ORDER BY l.Id LIMIT 1000";
        command.Parameters.AddWithValue("$run", run.ToByteArray());
        command.Parameters.AddWithValue("$like", TranscriptSearchText.LikePattern(text));
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows++;
        return rows;
    }
}
