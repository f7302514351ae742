using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryConsole.Audit.Migrations
{
    /// <inheritdoc />
    public partial class FailedStartRunLink : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PreviousRunId",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Runs_PreviousRunId",
                table: "Runs",
                column: "PreviousRunId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_PreviousRunId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "PreviousRunId",
                table: "Runs");
        }
    }
}
