using Microsoft.Data.Sqlite;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Full-text search over stored lines: the FTS5 trigram index (TranscriptSearch) for each run's lines up to its
/// TranscriptRuns.IndexedUpTo, and LIKE over the lines after it, so a search never misses a committed line however far
/// the indexer lags. Index and watermark move in one transaction, so in one snapshot the index holds exactly the lines up
/// to each run's watermark: no line is found twice. The text is one quoted phrase (<see cref="TranscriptSearchText"/>):
/// a trigram phrase matches a substring, case-insensitively. Text shorter than three characters has no trigram: it is
/// searched with LIKE within a run and refused across runs.
/// </summary>
internal static class TranscriptSearch
{
    private const string Match =
        "FROM TranscriptSearch CROSS JOIN TranscriptLines l ON l.Id = TranscriptSearch.rowid WHERE TranscriptSearch MATCH $phrase";
    private const string Like = "l.Text LIKE $like ESCAPE '\\'";

    public static async Task<TranscriptHits> InRunAsync(string connectionString, TranscriptRunKeys runKeys, Guid runId, TranscriptFilter filter,
        string text, int take, CancellationToken cancellationToken)
    {
        if (text.Length == 0 || take <= 0) return TranscriptHits.Empty;
        await using var connection = await TranscriptRows.OpenAsync(connectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        if (await runKeys.FindAsync(connection, snapshot, runId, cancellationToken) is not { } key) return TranscriptHits.Empty;
        if (!TranscriptSearchText.UsesIndex(text))
            return await HitsAsync(connection, snapshot, key, runId, text, filter,
                $"FROM TranscriptLines l WHERE l.Id BETWEEN {key.Base} AND {key.Last} AND {Like}", "l.Id", take, cancellationToken);

        // The run's lines are one key range: the index is read over that range only, not over every run's hits.
        var indexed = key.Of(await IndexedUpToAsync(connection, snapshot, key, cancellationToken));
        var indexedHits = indexed == key.Base ? TranscriptHits.Empty : await HitsAsync(connection, snapshot, key, runId, text, filter,
            $"{Match} AND TranscriptSearch.rowid BETWEEN {key.Base} AND {indexed}", "TranscriptSearch.rowid", take, cancellationToken);
        var tailHits = await HitsAsync(connection, snapshot, key, runId, text, filter,
            $"FROM TranscriptLines l WHERE l.Id > {indexed} AND l.Id <= {key.Last} AND {Like}", "l.Id",
            take - indexedHits.Lines.Count, cancellationToken);
        return new TranscriptHits([.. indexedHits.Lines, .. tailHits.Lines], Math.Min(indexedHits.Total + tailHits.Total, TranscriptSearchText.MaxCounted));
    }

    /// <summary>
    /// Newest first: by key, so the run whose transcript began last comes first, and its latest lines before its earlier
    /// ones. One line past <paramref name="take"/> says whether there are more.
    /// </summary>
    public static async Task<TranscriptHits> AcrossRunsAsync(string connectionString, string text, int take, CancellationToken cancellationToken)
    {
        if (!TranscriptSearchText.UsesIndex(text) || take <= 0) return TranscriptHits.Empty;
        await using var connection = await TranscriptRows.OpenAsync(connectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        await using var rows = Prepare(connection, snapshot, text);
        // Each run's unindexed tail (one key range seek per run) and the index, each newest first, merged by key.
        rows.CommandText =
            $"SELECT * FROM (SELECT {TranscriptRows.ColumnsWithRun} FROM TranscriptRuns r CROSS JOIN TranscriptLines l " +
            $"ON l.Id > (r.RunKey << 32) + r.IndexedUpTo AND l.Id <= (r.RunKey << 32) + {TranscriptKey.MaxSequence} WHERE {Like} " +
            $"ORDER BY l.Id DESC LIMIT {take + 1}) " +
            $"UNION ALL SELECT * FROM (SELECT {TranscriptRows.ColumnsWithRun} FROM TranscriptSearch CROSS JOIN TranscriptLines l ON l.Id = TranscriptSearch.rowid " +
            "CROSS JOIN TranscriptRuns r ON r.RunKey = l.Id >> 32 WHERE TranscriptSearch MATCH $phrase " +
            $"ORDER BY TranscriptSearch.rowid DESC LIMIT {take + 1}) " +
            $"ORDER BY 1 DESC LIMIT {take + 1}";
        var lines = await TranscriptRows.ReadAllAsync(rows, null, cancellationToken);
        var more = lines.Count > take;
        if (more) lines.RemoveAt(lines.Count - 1);
        return new TranscriptHits(lines, lines.Count, more);
    }

    /// <summary>Up to <paramref name="take"/> lines of <c>FROM ... WHERE</c> <paramref name="from"/>, and how many match in all (capped).</summary>
    private static async Task<TranscriptHits> HitsAsync(SqliteConnection connection, SqliteTransaction snapshot, TranscriptKey key, Guid runId,
        string text, TranscriptFilter filter, string from, string orderBy, int take, CancellationToken cancellationToken)
    {
        await using var count = Prepare(connection, snapshot, text);
        count.CommandText = $"SELECT count(*) FROM (SELECT 1 {from}{TranscriptFilterSql.Conditions(filter, count)} LIMIT {TranscriptSearchText.MaxCounted})";
        var total = (int)await TranscriptRows.ScalarAsync(count, cancellationToken);
        if (total == 0 || take <= 0) return new TranscriptHits([], total);
        await using var rows = Prepare(connection, snapshot, text);
        rows.CommandText = $"SELECT {TranscriptRows.Columns} {from}{TranscriptFilterSql.Conditions(filter, rows)} ORDER BY {orderBy} LIMIT {take}";
        return new TranscriptHits(await TranscriptRows.ReadAllAsync(rows, runId, cancellationToken), total);
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction snapshot, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.Parameters.AddWithValue("$phrase", TranscriptSearchText.FtsPhrase(text));
        command.Parameters.AddWithValue("$like", TranscriptSearchText.LikePattern(text));
        return command;
    }

    /// <summary>The run's highest sequence already in the index.</summary>
    private static async Task<long> IndexedUpToAsync(SqliteConnection connection, SqliteTransaction snapshot, TranscriptKey key,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = $"SELECT IndexedUpTo FROM TranscriptRuns WHERE RunKey = {key.RunKey}";
        return await TranscriptRows.ScalarAsync(command, cancellationToken);
    }
}
