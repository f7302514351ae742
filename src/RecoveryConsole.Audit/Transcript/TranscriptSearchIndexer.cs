using Microsoft.Data.Sqlite;
using RecoveryConsole.Audit.Storage;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Keeps the FTS5 index (TranscriptSearch) in step with TranscriptLines, run by run: each run's TranscriptRuns row says
/// the highest sequence the writer stored (LastSequence) and the highest already indexed (IndexedUpTo); a batch indexes
/// the lines between them, by key range, and moves IndexedUpTo in the same transaction, of its own: never inside the
/// writer's transaction, so the append path pays nothing but sharing SQLite's one write lock for a batch's few
/// milliseconds. Lines are never updated or deleted, and a run's sequences only grow, so "every line after IndexedUpTo"
/// is all there is to do. (Keys are not in commit order across runs, so one global "highest rowid indexed" would skip
/// the lines of a run that began earlier but committed later.)
/// </summary>
public sealed class TranscriptSearchIndexer(AuditStoreOptions options)
{
    /// <summary>Lines per transaction: FTS5 writes a segment per transaction, and fewer, larger segments mean less merging
    /// (5,000 → 20,000: ~53k → ~63k lines per CPU-second in a trigram build). A batch holds the write lock for a fraction
    /// of a second, and <see cref="IndexingPace"/> leaves a busy writer most of the time. (FTS5's automerge 8 built ~25%
    /// faster again but made queries up to ~30% slower: left at its default 4, since search latency is the target.)</summary>
    public const int DefaultBatch = 20_000;

    /// <summary>Indexes up to <paramref name="batch"/> lines not yet indexed, oldest run first; returns how many sequences it
    /// moved past (lines: sequences are dense; a line missing from the store is passed over, never waited for).</summary>
    public async Task<int> IndexNextAsync(int batch, CancellationToken cancellationToken)
    {
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        // IMMEDIATE: two indexers (a restart overlapping) never index the same lines twice.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var pending = new List<(TranscriptKey Key, long IndexedUpTo, long LastSequence)>();
        await using (var runs = connection.CreateCommand())
        {
            runs.Transaction = transaction;
            runs.CommandText = "SELECT RunKey, IndexedUpTo, LastSequence FROM TranscriptRuns WHERE LastSequence > IndexedUpTo ORDER BY RunKey LIMIT 1000";
            await using var reader = await runs.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                pending.Add((new TranscriptKey(reader.GetInt64(0)), reader.GetInt64(1), reader.GetInt64(2)));
        }
        if (pending.Count == 0) return 0;

        await using var index = connection.CreateCommand();
        index.Transaction = transaction;
        index.CommandText = "INSERT INTO TranscriptSearch (rowid, Text) SELECT Id, Text FROM TranscriptLines WHERE Id > $from AND Id <= $to";
        var from = index.Parameters.Add("$from", SqliteType.Integer);
        var to = index.Parameters.Add("$to", SqliteType.Integer);
        await using var progress = connection.CreateCommand();
        progress.Transaction = transaction;
        progress.CommandText = "UPDATE TranscriptRuns SET IndexedUpTo = $upTo WHERE RunKey = $run";
        var upTo = progress.Parameters.Add("$upTo", SqliteType.Integer);
        var run = progress.Parameters.Add("$run", SqliteType.Integer);

        var budget = (long)batch;
        foreach (var (key, done, last) in pending)
        {
            var target = Math.Min(last, done + budget);
            from.Value = key.Of(done);
            to.Value = key.Of(target);
            await index.ExecuteNonQueryAsync(cancellationToken);
            upTo.Value = target;
            run.Value = key.RunKey;
            await progress.ExecuteNonQueryAsync(cancellationToken);
            budget -= target - done;
            if (budget <= 0) break;
        }
        await transaction.CommitAsync(cancellationToken);
        return (int)(batch - Math.Max(budget, 0));
    }

    /// <summary>Indexes until nothing is left (start-up catch-up, tests, benchmarks); returns how many sequences.</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken, int batch = DefaultBatch)
    {
        long total = 0;
        for (int n; (n = await IndexNextAsync(batch, cancellationToken)) > 0;) total += n;
        return total;
    }
}
