using Microsoft.Data.Sqlite;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Full-text search over stored lines: the FTS5 trigram index (TranscriptSearch) up to the row the indexer has reached,
/// and LIKE over the rows after it, so a search never misses a committed line however far the indexer lags. The text is
/// one quoted phrase (<see cref="TranscriptSearchText"/>): a trigram phrase matches a substring, case-insensitively.
/// Text shorter than three characters has no trigram: it is searched with LIKE within a run and refused across runs.
/// </summary>
internal static class TranscriptSearch
{
    private const string Match =
        "FROM TranscriptSearch CROSS JOIN TranscriptLines l ON l.rowid = TranscriptSearch.rowid WHERE TranscriptSearch MATCH $phrase";
    private const string Like = "l.Text LIKE $like ESCAPE '\\'";

    public static async Task<TranscriptHits> InRunAsync(string connectionString, Guid runId, TranscriptFilter filter, string text, int take,
        CancellationToken cancellationToken)
    {
        if (text.Length == 0 || take <= 0) return TranscriptHits.Empty;
        await using var connection = await TranscriptRows.OpenAsync(connectionString, cancellationToken);
        await using var snapshot = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (!TranscriptSearchText.UsesIndex(text))
            return await HitsAsync(connection, snapshot, runId, text, filter,
                $"FROM TranscriptLines l WHERE l.RunId = $run AND {Like}", "l.Sequence", take, cancellationToken);

        // The run's rows lie between the rowids of its first and last line (one writer appends in sequence order), so the
        // index is read over that range only, not over every run's hits.
        var (first, last) = await RowRangeAsync(connection, snapshot, runId, cancellationToken);
        if (first == 0) return TranscriptHits.Empty;
        var indexed = await TranscriptSearchIndexer.IndexedUpToAsync(connection, snapshot, cancellationToken);
        var indexedHits = first > indexed ? TranscriptHits.Empty : await HitsAsync(connection, snapshot, runId, text, filter,
            $"{Match} AND TranscriptSearch.rowid BETWEEN {first} AND {Math.Min(last, indexed)} AND l.RunId = $run", "TranscriptSearch.rowid",
            take, cancellationToken);
        var tailHits = last <= indexed ? TranscriptHits.Empty : await HitsAsync(connection, snapshot, runId, text, filter,
            $"FROM TranscriptLines l WHERE l.rowid > {Math.Max(indexed, first - 1)} AND l.rowid <= {last} AND +l.RunId = $run AND {Like}", "l.rowid",
            take - indexedHits.Lines.Count, cancellationToken);
        return new TranscriptHits([.. indexedHits.Lines, .. tailHits.Lines], Math.Min(indexedHits.Total + tailHits.Total, TranscriptSearchText.MaxCounted));
    }

    public static async Task<TranscriptHits> AcrossRunsAsync(string connectionString, string text, int take, CancellationToken cancellationToken)
    {
        if (!TranscriptSearchText.UsesIndex(text) || take <= 0) return TranscriptHits.Empty;
        await using var connection = await TranscriptRows.OpenAsync(connectionString, cancellationToken);
        await using var snapshot = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var indexed = await TranscriptSearchIndexer.IndexedUpToAsync(connection, snapshot, cancellationToken);
        // Newest first: the unindexed tail is the newest part. One line past `take` says whether there are more.
        var tail = await RowsAsync(connection, snapshot, null, text, TranscriptFilter.None,
            $"FROM TranscriptLines l WHERE l.rowid > {indexed} AND {Like}", "l.rowid DESC", take + 1, cancellationToken);
        var older = tail.Count > take ? [] : await RowsAsync(connection, snapshot, null, text, TranscriptFilter.None,
            $"{Match} AND TranscriptSearch.rowid <= {indexed}", "TranscriptSearch.rowid DESC", take + 1 - tail.Count, cancellationToken);
        var lines = tail.Concat(older).ToList();
        var more = lines.Count > take;
        if (more) lines.RemoveAt(lines.Count - 1);
        return new TranscriptHits(lines, lines.Count, more);
    }

    /// <summary>Up to <paramref name="take"/> lines of <c>FROM ... WHERE</c> <paramref name="from"/>, and how many match in all (capped).</summary>
    private static async Task<TranscriptHits> HitsAsync(SqliteConnection connection, SqliteTransaction snapshot, Guid? runId, string text,
        TranscriptFilter filter, string from, string orderBy, int take, CancellationToken cancellationToken)
    {
        await using var count = Prepare(connection, snapshot, runId, text);
        count.CommandText = $"SELECT count(*) FROM (SELECT 1 {from}{TranscriptFilterSql.Conditions(filter, count)} LIMIT {TranscriptSearchText.MaxCounted})";
        var total = (int)await TranscriptRows.ScalarAsync(count, cancellationToken);
        if (total == 0 || take <= 0) return new TranscriptHits([], total);
        return new TranscriptHits(await RowsAsync(connection, snapshot, runId, text, filter, from, orderBy, take, cancellationToken), total);
    }

    private static async Task<List<TranscriptLine>> RowsAsync(SqliteConnection connection, SqliteTransaction snapshot, Guid? runId, string text,
        TranscriptFilter filter, string from, string orderBy, int take, CancellationToken cancellationToken)
    {
        if (take <= 0) return [];
        await using var rows = Prepare(connection, snapshot, runId, text);
        rows.CommandText = $"SELECT {TranscriptRows.Columns} {from}{TranscriptFilterSql.Conditions(filter, rows)} ORDER BY {orderBy} LIMIT {take}";
        return await TranscriptRows.ReadAllAsync(rows, cancellationToken);
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction snapshot, Guid? runId, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        if (runId is { } run) command.Parameters.AddWithValue("$run", run.ToByteArray());
        command.Parameters.AddWithValue("$phrase", TranscriptSearchText.FtsPhrase(text));
        command.Parameters.AddWithValue("$like", TranscriptSearchText.LikePattern(text));
        return command;
    }

    private static async Task<(long First, long Last)> RowRangeAsync(SqliteConnection connection, SqliteTransaction snapshot, Guid runId,
        CancellationToken cancellationToken)
    {
        await using var first = TranscriptQuery.Command(connection, runId,
            "SELECT rowid FROM TranscriptLines WHERE RunId = $run ORDER BY Sequence LIMIT 1", snapshot);
        await using var last = TranscriptQuery.Command(connection, runId,
            "SELECT rowid FROM TranscriptLines WHERE RunId = $run ORDER BY Sequence DESC LIMIT 1", snapshot);
        return (await TranscriptRows.ScalarAsync(first, cancellationToken), await TranscriptRows.ScalarAsync(last, cancellationToken));
    }
}
