using Microsoft.Data.Sqlite;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Transcript lines. Appends are the hot path (a step may print hundreds of thousands of lines a second): a batch is
/// written in one transaction by one prepared INSERT re-executed per line. It runs on SQLite's own statement API
/// (SQLitePCLRaw, under the connection Microsoft.Data.Sqlite opened): parameters bound by position, text encoded into one
/// reused buffer, the statement reset rather than re-created: about twice the lines per second of SqliteCommand, whose
/// per-execution work (parameter lookup by name, a data reader per call) cost more than SQLite's insert itself. No EF Core
/// change tracking. A line is one row of one B-tree keyed by <see cref="TranscriptKey"/> (run key, sequence). A batch is
/// atomic; a (run, sequence) already stored fails the whole batch. The batch also moves the run's LastSequence in
/// TranscriptRuns, which tells the search indexer which runs have lines to index.
/// </summary>
public sealed class TranscriptStore(AuditStoreOptions options, TranscriptRunKeys runKeys, TranscriptWrites writes) : ITranscriptStore
{
    /// <summary>Column layout of TranscriptLines (Id: <see cref="TranscriptKey"/>, Timestamp: UTC ticks, Stream: int).</summary>
    internal const string InsertSql =
        "INSERT INTO TranscriptLines (Id, StepPath, Host, Stream, Timestamp, Text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

    public async Task AppendAsync(IReadOnlyList<TranscriptLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) return;
        cancellationToken.ThrowIfCancellationRequested();

        await using var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await SqlitePragmas.ApplyAsync(connection, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // The work is CPU-bound and synchronous inside SQLite; the *Async ADO.NET calls would only add overhead.
        var keys = runKeys.KeysForWriting(connection, transaction, Runs(lines));
        TranscriptInsert.Run(connection.Handle!, lines, keys);
        MoveLastSequences(connection, transaction, lines, keys);
        await transaction.CommitAsync(cancellationToken);
        runKeys.Remember(keys);
        writes.Committed();
    }

    /// <summary>Read with a plain data reader too: EF Core's materialisation made sealing a long transcript (which reads it all) slow.</summary>
    public async Task<IReadOnlyList<TranscriptLine>> ReadAsync(Guid runId, long afterSequence, int take, CancellationToken cancellationToken)
    {
        if (take <= 0) return [];
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        if (await runKeys.FindAsync(connection, snapshot, runId, cancellationToken) is not { } key) return [];
        await using var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT Id, StepPath, Host, Stream, Timestamp, Text FROM TranscriptLines " +
                              "WHERE Id > $after AND Id <= $last ORDER BY Id LIMIT $take";
        command.Parameters.Add("$after", SqliteType.Integer).Value = key.Of(Math.Clamp(afterSequence, -1, TranscriptKey.MaxSequence));
        command.Parameters.Add("$last", SqliteType.Integer).Value = key.Last;
        command.Parameters.Add("$take", SqliteType.Integer).Value = take;
        var lines = new List<TranscriptLine>(Math.Min(take, 10_000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // Step path and host repeat on almost every line: one string each, not one per line.
        string stepPath = "", host = "";
        while (reader.Read())
        {
            var readStep = reader.GetString(1);
            var readHost = reader.GetString(2);
            if (readStep != stepPath) stepPath = readStep;
            if (readHost != host) host = readHost;
            lines.Add(new TranscriptLine(runId, TranscriptKey.SequenceOf(reader.GetInt64(0)), stepPath, host, (OutputStream)reader.GetInt32(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero), reader.GetString(5)));
        }
        return lines;
    }

    public async Task<long> LastSequenceAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        if (await runKeys.FindAsync(connection, snapshot, runId, cancellationToken) is not { } key) return 0;
        await using var command = TranscriptQuery.Command(connection, key, "SELECT l.Id FROM TranscriptLines l " +
            "WHERE l.Id BETWEEN $first AND $last ORDER BY l.Id DESC LIMIT 1", snapshot);
        return await command.ExecuteScalarAsync(cancellationToken) is long last ? TranscriptKey.SequenceOf(last) : 0;
    }

    private static IEnumerable<Guid> Runs(IReadOnlyList<TranscriptLine> lines)
    {
        Guid? previous = null;
        foreach (var line in lines)
        {
            if (line.RunId == previous) continue;
            previous = line.RunId;
            yield return line.RunId;
        }
    }

    private static void MoveLastSequences(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<TranscriptLine> lines,
        Dictionary<Guid, TranscriptKey> keys)
    {
        var last = new Dictionary<Guid, long>(keys.Count);
        foreach (var line in lines)
            if (!last.TryGetValue(line.RunId, out var seen) || line.Sequence > seen) last[line.RunId] = line.Sequence;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE TranscriptRuns SET LastSequence = max(LastSequence, $last) WHERE RunKey = $key";
        var lastParameter = command.Parameters.Add("$last", SqliteType.Integer);
        var keyParameter = command.Parameters.Add("$key", SqliteType.Integer);
        foreach (var (runId, sequence) in last)
        {
            lastParameter.Value = sequence;
            keyParameter.Value = keys[runId].RunKey;
            command.ExecuteNonQuery();
        }
    }
}
