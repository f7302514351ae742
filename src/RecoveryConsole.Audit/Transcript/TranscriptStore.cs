using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
/// change tracking. A batch is atomic; a (RunId, Sequence) already stored fails the whole batch.
/// </summary>
public sealed class TranscriptStore(AuditStoreOptions options, IDbContextFactory<AuditDbContext> contexts) : ITranscriptStore
{
    /// <summary>Column layout as mapped by TranscriptLineConfiguration (RunId: Guid.ToByteArray(), Timestamp: UTC ticks, Stream: int).</summary>
    internal const string InsertSql =
        "INSERT INTO TranscriptLines (RunId, Sequence, StepPath, Host, Stream, Timestamp, Text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

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
        TranscriptInsert.Run(connection.Handle!, lines);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Read with a plain data reader too: EF Core's materialisation made sealing a long transcript (which reads it all) slow.</summary>
    public async Task<IReadOnlyList<TranscriptLine>> ReadAsync(Guid runId, long afterSequence, int take, CancellationToken cancellationToken)
    {
        if (take <= 0) return [];
        await using var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await SqlitePragmas.ApplyAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Sequence, StepPath, Host, Stream, Timestamp, Text FROM TranscriptLines " +
                              "WHERE RunId = $runId AND Sequence > $after ORDER BY Sequence LIMIT $take";
        command.Parameters.Add("$runId", SqliteType.Blob).Value = runId.ToByteArray();
        command.Parameters.Add("$after", SqliteType.Integer).Value = afterSequence;
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
            lines.Add(new TranscriptLine(runId, reader.GetInt64(0), stepPath, host, (OutputStream)reader.GetInt32(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero), reader.GetString(5)));
        }
        return lines;
    }

    public async Task<long> LastSequenceAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.TranscriptLines
            .Where(l => l.RunId == runId)
            .MaxAsync(l => (long?)l.Sequence, cancellationToken) ?? 0;
    }
}
