using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryConsole.Audit.Migrations
{
    /// <summary>
    /// One B-tree per transcript line: TranscriptLines keyed by Id = (RunKey &lt;&lt; 32) | Sequence (explicit INTEGER PRIMARY KEY,
    /// so a VACUUM never renumbers what the FTS index points at) instead of a rowid table plus the (RunId, Sequence) index with
    /// its 16-byte GUID twice a line. TranscriptRuns gives each run with lines its small RunKey (in the order of their first
    /// line), the highest sequence stored (LastSequence, moved by each batch) and how far the search index has got
    /// (IndexedUpTo, per run: keys are not in commit order across runs, so the old global LastRowId cannot say it).
    /// Existing lines are copied over with their sequences; the FTS index is dropped and refilled by the indexer in the
    /// background (searches read what it has not reached with LIKE meanwhile). Neither table is in the EF model: only raw SQL
    /// (Transcript/) touches them, so this migration leaves the model without TranscriptLine.
    /// </summary>
    public partial class TranscriptKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                "CREATE TABLE TranscriptRuns (RunKey INTEGER NOT NULL PRIMARY KEY, RunId BLOB NOT NULL UNIQUE, " +
                "LastSequence INTEGER NOT NULL DEFAULT 0, IndexedUpTo INTEGER NOT NULL DEFAULT 0);");
            migrationBuilder.Sql(
                "INSERT INTO TranscriptRuns (RunId, LastSequence) SELECT RunId, max(Sequence) FROM TranscriptLines GROUP BY RunId ORDER BY min(rowid);");
            migrationBuilder.Sql(
                "CREATE TABLE TranscriptLinesKeyed (Id INTEGER NOT NULL PRIMARY KEY, StepPath TEXT NOT NULL, Host TEXT NOT NULL, " +
                "Stream INTEGER NOT NULL, Timestamp INTEGER NOT NULL, Text TEXT NOT NULL);");
            // Every line's run is in TranscriptRuns (inner join, nothing left out); sequences are 1..lines, far below 2^32.
            migrationBuilder.Sql(
                "INSERT INTO TranscriptLinesKeyed (Id, StepPath, Host, Stream, Timestamp, Text) " +
                "SELECT (r.RunKey << 32) + (l.Sequence & 4294967295), l.StepPath, l.Host, l.Stream, l.Timestamp, l.Text " +
                "FROM TranscriptLines l JOIN TranscriptRuns r ON r.RunId = l.RunId ORDER BY r.RunKey, l.Sequence;");
            migrationBuilder.Sql("DROP TABLE TranscriptSearch;");
            migrationBuilder.Sql("DROP TABLE TranscriptSearchProgress;");
            migrationBuilder.Sql("DROP TABLE TranscriptLines;");
            migrationBuilder.Sql("ALTER TABLE TranscriptLinesKeyed RENAME TO TranscriptLines;");
            migrationBuilder.Sql(
                "CREATE VIRTUAL TABLE TranscriptSearch USING fts5(Text, content='TranscriptLines', content_rowid='Id', tokenize='trigram');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                "CREATE TABLE TranscriptLinesByRun (\"RunId\" BLOB NOT NULL, \"Sequence\" INTEGER NOT NULL, \"StepPath\" TEXT NOT NULL, " +
                "\"Host\" TEXT NOT NULL, \"Stream\" INTEGER NOT NULL, \"Timestamp\" INTEGER NOT NULL, \"Text\" TEXT NOT NULL, " +
                "CONSTRAINT \"PK_TranscriptLines\" PRIMARY KEY (\"RunId\", \"Sequence\"));");
            migrationBuilder.Sql(
                "INSERT INTO TranscriptLinesByRun (RunId, Sequence, StepPath, Host, Stream, Timestamp, Text) " +
                "SELECT r.RunId, l.Id & 4294967295, l.StepPath, l.Host, l.Stream, l.Timestamp, l.Text " +
                "FROM TranscriptLines l JOIN TranscriptRuns r ON r.RunKey = l.Id >> 32 ORDER BY l.Id;");
            migrationBuilder.Sql("DROP TABLE TranscriptSearch;");
            migrationBuilder.Sql("DROP TABLE TranscriptLines;");
            migrationBuilder.Sql("DROP TABLE TranscriptRuns;");
            migrationBuilder.Sql("ALTER TABLE TranscriptLinesByRun RENAME TO TranscriptLines;");
            migrationBuilder.Sql(
                "CREATE VIRTUAL TABLE TranscriptSearch USING fts5(Text, content='TranscriptLines', content_rowid='rowid', tokenize='trigram');");
            migrationBuilder.Sql(
                "CREATE TABLE TranscriptSearchProgress (Id INTEGER NOT NULL PRIMARY KEY CHECK (Id = 1), LastRowId INTEGER NOT NULL);");
            migrationBuilder.Sql("INSERT INTO TranscriptSearchProgress (Id, LastRowId) VALUES (1, 0);");
        }
    }
}
