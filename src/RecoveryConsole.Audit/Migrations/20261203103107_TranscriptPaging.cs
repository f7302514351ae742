using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryConsole.Audit.Migrations
{
    /// <summary>
    /// Transcript search: an external-content FTS5 index over TranscriptLines.Text (trigram, so any substring of three or
    /// more characters matches) and how far it has got. Nothing on TranscriptLines itself changes: no trigger, no index,
    /// so the writer's insert path stays as it was; <c>TranscriptSearchIndexer</c> fills the index in its own
    /// transactions (see README, transcript search). Neither table is in the EF model: only raw SQL touches them.
    /// </summary>
    public partial class TranscriptPaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                "CREATE VIRTUAL TABLE TranscriptSearch USING fts5(Text, content='TranscriptLines', content_rowid='rowid', tokenize='trigram');");
            migrationBuilder.Sql(
                "CREATE TABLE TranscriptSearchProgress (Id INTEGER NOT NULL PRIMARY KEY CHECK (Id = 1), LastRowId INTEGER NOT NULL);");
            migrationBuilder.Sql("INSERT INTO TranscriptSearchProgress (Id, LastRowId) VALUES (1, 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE TranscriptSearchProgress;");
            migrationBuilder.Sql("DROP TABLE TranscriptSearch;");
        }
    }
}
