using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Transcript lines. Appends are the hot path (a step may print tens of thousands of lines a second): a batch is
/// written in one transaction by one prepared INSERT re-executed per line, on a plain ADO.NET connection without
/// EF Core change tracking. A batch is atomic; a (RunId, Sequence) already stored fails the whole batch.
/// </summary>
public sealed class TranscriptStore(AuditStoreOptions options, IDbContextFactory<AuditDbContext> contexts) : ITranscriptStore
{
    /// <summary>Column layout as mapped by TranscriptLineConfiguration (RunId: Guid.ToByteArray(), Timestamp: UTC ticks, Stream: int).</summary>
    internal const string InsertSql =
        "INSERT INTO TranscriptLines (RunId, Sequence, StepPath, Host, Stream, Timestamp, Text) " +
        "VALUES ($runId, $sequence, $stepPath, $host, $stream, $timestamp, $text)";

    public async Task AppendAsync(IReadOnlyList<TranscriptLine> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) return;
        cancellationToken.ThrowIfCancellationRequested();

        await using var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await SqlitePragmas.ApplyAsync(connection, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql;
        var runId = command.Parameters.Add("$runId", SqliteType.Blob);
        var sequence = command.Parameters.Add("$sequence", SqliteType.Integer);
        var stepPath = command.Parameters.Add("$stepPath", SqliteType.Text);
        var host = command.Parameters.Add("$host", SqliteType.Text);
        var stream = command.Parameters.Add("$stream", SqliteType.Integer);
        var timestamp = command.Parameters.Add("$timestamp", SqliteType.Integer);
        var text = command.Parameters.Add("$text", SqliteType.Text);
        command.Prepare();

        // The work is CPU-bound and synchronous inside SQLite; the *Async ADO.NET calls would only add overhead.
        Guid currentRun = default;
        byte[] currentRunBytes = [];
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (currentRunBytes.Length == 0 || line.RunId != currentRun)
            {
                currentRun = line.RunId;
                currentRunBytes = line.RunId.ToByteArray();
            }
            runId.Value = currentRunBytes;
            sequence.Value = line.Sequence;
            stepPath.Value = line.StepPath;
            host.Value = line.Host;
            stream.Value = (int)line.Stream;
            timestamp.Value = line.Timestamp.UtcTicks;
            text.Value = line.Text;
            command.ExecuteNonQuery();
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TranscriptLine>> ReadAsync(Guid runId, long afterSequence, int take, CancellationToken cancellationToken)
    {
        if (take <= 0) return [];
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.TranscriptLines.AsNoTracking()
            .Where(l => l.RunId == runId && l.Sequence > afterSequence)
            .OrderBy(l => l.Sequence)
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    public async Task<long> LastSequenceAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.TranscriptLines
            .Where(l => l.RunId == runId)
            .MaxAsync(l => (long?)l.Sequence, cancellationToken) ?? 0;
    }
}
