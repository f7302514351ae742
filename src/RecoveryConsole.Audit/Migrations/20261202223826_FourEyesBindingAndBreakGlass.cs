using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryConsole.Audit.Migrations
{
    /// <inheritdoc />
    public partial class FourEyesBindingAndBreakGlass : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActorNames",
                table: "Runs",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "BindingHash",
                table: "Approvals",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BindingText",
                table: "Approvals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "BreakGlass",
                table: "Approvals",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "ExpiresAt",
                table: "Approvals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReviewedAt",
                table: "Approvals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "Approvals",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActorNames",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "BindingHash",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "BindingText",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "BreakGlass",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "Approvals");
        }
    }
}
