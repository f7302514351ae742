using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// The INSERT of <see cref="TranscriptStore.InsertSql"/> on SQLite's statement API, inside the caller's transaction:
/// prepared once per batch, bound by position per line, reset between lines. A line's key is its run's
/// <see cref="TranscriptKey"/> and its sequence. Strings are encoded into one rented buffer
/// (SQLite copies bound text), so a line costs no allocation here. A reset keeps the bindings, so the step path and
/// host (the same on almost every line of a batch) are bound again only when they change.
/// </summary>
internal static class TranscriptInsert
{
    public static void Run(sqlite3 db, IReadOnlyList<TranscriptLine> lines, IReadOnlyDictionary<Guid, TranscriptKey> runKeys)
    {
        Check(raw.sqlite3_prepare_v2(db, TranscriptStore.InsertSql, out var statement), db);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            Guid? run = null;
            var runKey = default(TranscriptKey);
            string? stepPath = null, host = null;
            foreach (var line in lines)
            {
                if (line.RunId != run)
                {
                    run = line.RunId;
                    runKey = runKeys[line.RunId];
                }
                TranscriptKey.CheckSequence(line.Sequence);
                Check(raw.sqlite3_bind_int64(statement, 1, runKey.Of(line.Sequence)), db);
                if (!string.Equals(line.StepPath, stepPath, StringComparison.Ordinal)) BindText(statement, 2, stepPath = line.StepPath, ref buffer, db);
                if (!string.Equals(line.Host, host, StringComparison.Ordinal)) BindText(statement, 3, host = line.Host, ref buffer, db);
                Check(raw.sqlite3_bind_int(statement, 4, (int)line.Stream), db);
                Check(raw.sqlite3_bind_int64(statement, 5, line.Timestamp.UtcTicks), db);
                BindText(statement, 6, line.Text, ref buffer, db);
                var done = raw.sqlite3_step(statement);
                // Reset before throwing: a failed step (a duplicate sequence) leaves the statement to be finalised cleanly.
                raw.sqlite3_reset(statement);
                if (done != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(done, db);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            statement.Dispose();
        }
    }

    private static void BindText(sqlite3_stmt statement, int index, string value, ref byte[] buffer, sqlite3 db)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (needed > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(needed);
        }
        var length = Encoding.UTF8.GetBytes(value, buffer);
        // An empty span would bind NULL: the columns are NOT NULL, and "" is a valid step path or host.
        Check(length == 0 ? raw.sqlite3_bind_text(statement, index, "") : raw.sqlite3_bind_text(statement, index, buffer.AsSpan(0, length)), db);
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
    }
}
