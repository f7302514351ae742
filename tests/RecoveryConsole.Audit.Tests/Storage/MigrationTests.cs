using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.Tests.TestSupport;

namespace RecoveryConsole.Audit.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_a_fresh_file_and_switch_it_to_wal()
    {
        await using var store = await TestStore.CreateAsync();

        Assert.True(File.Exists(store.Options.DatabasePath));
        Assert.Equal("wal", await store.ScalarAsync<string>("PRAGMA journal_mode;"));

        await using var context = store.NewContext();
        Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        Assert.Contains(await context.Database.GetAppliedMigrationsAsync(), m => m.EndsWith("_Initial", StringComparison.Ordinal));
        // The checked-in migration matches the model: a mapping change without a new migration fails here.
        Assert.False(context.Database.HasPendingModelChanges());

        var tables = await context.Database
            .SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'")
            .ToListAsync();
        foreach (var table in new[] { "Runs", "StepExecutions", "Approvals", "TranscriptLines", "AuditEvents", "Clusters", "AspNetUsers", "AspNetRoles" })
            Assert.Contains(table, tables);
    }

    [Fact]
    public async Task Migrating_twice_is_harmless()
    {
        await using var store = await TestStore.CreateAsync();
        await store.Services.MigrateAuditStoreAsync(CancellationToken.None);
        Assert.Equal("wal", await store.ScalarAsync<string>("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Every_connection_the_context_opens_gets_busy_timeout_and_synchronous_normal()
    {
        await using var store = await TestStore.CreateAsync();
        await using var context = store.NewContext();
        await context.Database.OpenConnectionAsync();
        var connection = context.Database.GetDbConnection();

        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout;";
        Assert.Equal(10_000L, Convert.ToInt64(await command.ExecuteScalarAsync()));
        command.CommandText = "PRAGMA synchronous;";
        Assert.Equal(1L, Convert.ToInt64(await command.ExecuteScalarAsync())); // 1 = NORMAL
    }

    [Fact]
    public async Task Dates_are_stored_as_utc_ticks()
    {
        await using var store = await TestStore.CreateAsync();
        var created = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);
        var run = new Orchestration.Runs.Run("p", "P", "h", "c", false, "{}", "alice", created);
        await store.Runs.AddAsync(run, CancellationToken.None);

        Assert.Equal("integer", await store.ScalarAsync<string>("SELECT typeof(CreatedAt) FROM Runs"));
        Assert.Equal(created.UtcTicks, await store.ScalarAsync<long>("SELECT CreatedAt FROM Runs"));
    }
}
