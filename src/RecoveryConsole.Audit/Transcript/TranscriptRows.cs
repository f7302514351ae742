using Microsoft.Data.Sqlite;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>Reading TranscriptLines rows with raw ADO.NET (layout as in <see cref="TranscriptStore.InsertSql"/>).</summary>
internal static class TranscriptRows
{
    public const string Columns = "l.RunId, l.Sequence, l.StepPath, l.Host, l.Stream, l.Timestamp, l.Text";

    public static async Task<List<TranscriptLine>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var lines = new List<TranscriptLine>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new TranscriptLine(
                new Guid((byte[])reader.GetValue(0)),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                (OutputStream)reader.GetInt32(4),
                new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
                reader.GetString(6)));
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

    public static async Task<long> ScalarAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        await command.ExecuteScalarAsync(cancellationToken) is long value ? value : 0;
}
