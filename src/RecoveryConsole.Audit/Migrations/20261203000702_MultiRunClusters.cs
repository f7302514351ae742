using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryConsole.Audit.Migrations
{
    /// <inheritdoc />
    public partial class MultiRunClusters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClustersJson",
                table: "Runs",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClustersJson",
                table: "Runs");
        }
    }
}
