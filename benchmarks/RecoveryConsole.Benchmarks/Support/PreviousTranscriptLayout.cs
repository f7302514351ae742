using System.Text;
using Microsoft.Data.Sqlite;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Transcript;
using SQLitePCL;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// The transcript table as it was before migration TranscriptKeys: a rowid table plus the (RunId BLOB, Sequence) key
/// index, appended the way TranscriptInsert then did (statement API, bound by position, one transaction per batch), in a
/// file of its own. The ingest benchmark times it against the store in the same run: the layout is the only difference.
/// </summary>
internal sealed class PreviousTranscriptLayout
{
    private const string InsertSql =
        "INSERT INTO TranscriptLines (RunId, Sequence, StepPath, Host, Stream, Timestamp, Text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

    private readonly string _connectionString;

    private PreviousTranscriptLayout(string connectionString) => _connectionString = connectionString;

    public static PreviousTranscriptLayout Create(string path)
    {
        var layout = new PreviousTranscriptLayout(new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString());
        using var connection = new SqliteConnection(layout._connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmas.EnableWal +
            "CREATE TABLE TranscriptLines (RunId BLOB NOT NULL, Sequence INTEGER NOT NULL, StepPath TEXT NOT NULL, Host TEXT NOT NULL, " +
            "Stream INTEGER NOT NULL, Timestamp INTEGER NOT NULL, Text TEXT NOT NULL, CONSTRAINT PK_TranscriptLines PRIMARY KEY (RunId, Sequence));";
        command.ExecuteNonQuery();
        return layout;
    }

    public void Append(IReadOnlyList<TranscriptLine> lines)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqlitePragmas.Apply(connection);
        using var transaction = connection.BeginTransaction();
        var db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, InsertSql, out var statement), db);
        using (statement)
        {
            var buffer = new byte[4096];
            Guid? run = null;
            string? stepPath = null, host = null;
            foreach (var line in lines)
            {
                if (line.RunId != run) Check(raw.sqlite3_bind_blob(statement, 1, (run = line.RunId).Value.ToByteArray()), db);
                Check(raw.sqlite3_bind_int64(statement, 2, line.Sequence), db);
                if (line.StepPath != stepPath) BindText(statement, 3, stepPath = line.StepPath, ref buffer, db);
                if (line.Host != host) BindText(statement, 4, host = line.Host, ref buffer, db);
                Check(raw.sqlite3_bind_int(statement, 5, (int)line.Stream), db);
                Check(raw.sqlite3_bind_int64(statement, 6, line.Timestamp.UtcTicks), db);
                BindText(statement, 7, line.Text, ref buffer, db);
                var done = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (done != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(done, db);
            }
        }
        transaction.Commit();
    }

    private static void BindText(sqlite3_stmt statement, int index, string value, ref byte[] buffer, sqlite3 db)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (needed > buffer.Length) buffer = new byte[needed];
        var length = Encoding.UTF8.GetBytes(value, buffer);
        Check(length == 0 ? raw.sqlite3_bind_text(statement, index, "") : raw.sqlite3_bind_text(statement, index, buffer.AsSpan(0, length)), db);
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
    }
}
