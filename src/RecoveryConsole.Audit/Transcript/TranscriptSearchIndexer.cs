using Microsoft.Data.Sqlite;
using RecoveryConsole.Audit.Storage;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Keeps the FTS5 index (TranscriptSearch) in step with TranscriptLines, by rowid, a batch per transaction of its own:
/// never inside the writer's transaction, so the append path pays nothing but sharing SQLite's one write lock for a
/// batch's few milliseconds. Lines are never updated or deleted, so "every row after LastRowId" is all there is to do.
/// Rowids only grow: a row committed later always has a higher rowid than one committed earlier (one writer at a time).
/// </summary>
public sealed class TranscriptSearchIndexer(AuditStoreOptions options)
{
    public const int DefaultBatch = 5_000;

    /// <summary>Indexes up to <paramref name="batch"/> rows after the last indexed one; returns how many.</summary>
    public async Task<int> IndexNextAsync(int batch, CancellationToken cancellationToken)
    {
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        // IMMEDIATE: two indexers (a restart overlapping) never index the same rows twice.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var from = await IndexedUpToAsync(connection, transaction, cancellationToken);
        await using var upTo = connection.CreateCommand();
        upTo.Transaction = transaction;
        upTo.CommandText = "SELECT count(*), max(rowid) FROM (SELECT rowid FROM TranscriptLines WHERE rowid > $from ORDER BY rowid LIMIT $batch)";
        upTo.Parameters.AddWithValue("$from", from);
        upTo.Parameters.AddWithValue("$batch", batch);
        long count, to;
        await using (var reader = await upTo.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            count = reader.GetInt64(0);
            if (count == 0) return 0;
            to = reader.GetInt64(1);
        }
        await using var index = connection.CreateCommand();
        index.Transaction = transaction;
        index.CommandText =
            "INSERT INTO TranscriptSearch (rowid, Text) SELECT rowid, Text FROM TranscriptLines WHERE rowid > $from AND rowid <= $to; " +
            "UPDATE TranscriptSearchProgress SET LastRowId = $to WHERE Id = 1;";
        index.Parameters.AddWithValue("$from", from);
        index.Parameters.AddWithValue("$to", to);
        await index.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (int)count;
    }

    /// <summary>Indexes until nothing is left (start-up catch-up, tests, benchmarks); returns how many rows.</summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken, int batch = DefaultBatch)
    {
        long total = 0;
        for (int n; (n = await IndexNextAsync(batch, cancellationToken)) > 0;) total += n;
        return total;
    }

    /// <summary>The highest rowid of TranscriptLines already in the index.</summary>
    public static async Task<long> IndexedUpToAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT LastRowId FROM TranscriptSearchProgress WHERE Id = 1";
        return await TranscriptRows.ScalarAsync(command, cancellationToken);
    }
}
