using Microsoft.Data.Sqlite;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>Reading TranscriptLines rows with raw ADO.NET (layout as in <see cref="TranscriptStore.InsertSql"/>).</summary>
internal static class TranscriptRows
{
    /// <summary>A line's columns (alias <c>l</c>); the sequence is the low half of its key.</summary>
    public const string Columns = "l.Id, l.StepPath, l.Host, l.Stream, l.Timestamp, l.Text";

    /// <summary><see cref="Columns"/> and the run's id, for reads across runs (TranscriptRuns aliased <c>r</c>).</summary>
    public const string ColumnsWithRun = Columns + ", r.RunId";

    /// <summary>Rows of one run (<paramref name="runId"/>), or of several when null: then the command selects <see cref="ColumnsWithRun"/>.</summary>
    public static async Task<List<TranscriptLine>> ReadAllAsync(SqliteCommand command, Guid? runId, CancellationToken cancellationToken)
    {
        var lines = new List<TranscriptLine>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new TranscriptLine(
                runId ?? new Guid((byte[])reader.GetValue(6)),
                TranscriptKey.SequenceOf(reader.GetInt64(0)),
                reader.GetString(1),
                reader.GetString(2),
                (OutputStream)reader.GetInt32(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                reader.GetString(5)));
        }
        return lines;
    }

    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await Storage.SqlitePragmas.ApplyAsync(connection, cancellationToken);
        return connection;
    }

    /// <summary>
    /// A read transaction: one snapshot for several statements. Deferred: Microsoft.Data.Sqlite's default BEGIN IMMEDIATE
    /// would take the write lock, so every read would queue behind the writer and the indexer (and hold them up in turn).
    /// </summary>
    public static SqliteTransaction Snapshot(SqliteConnection connection) => connection.BeginTransaction(deferred: true);

    public static async Task<long> ScalarAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        await command.ExecuteScalarAsync(cancellationToken) is long value ? value : 0;
}
