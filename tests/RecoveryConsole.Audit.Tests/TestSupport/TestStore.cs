using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Clusters;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Tests.TestSupport;

/// <summary>A real SQLite file in its own temp folder, wired through AddAuditStore and migrated; deleted on dispose.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(string? folder, ServiceProvider services)
    {
        Folder = folder;
        Services = services;
    }

    /// <summary>The temp folder this store deletes on dispose; null for a store opened on another's file.</summary>
    public string? Folder { get; }
    public ServiceProvider Services { get; }
    public AuditStoreOptions Options => Services.GetRequiredService<AuditStoreOptions>();
    public IRunRepository Runs => Services.GetRequiredService<IRunRepository>();
    public ITranscriptStore Transcripts => Services.GetRequiredService<ITranscriptStore>();
    public IAuditLog AuditLog => Services.GetRequiredService<IAuditLog>();
    public IClusterRecords Clusters => Services.GetRequiredService<IClusterRecords>();

    public static async Task<TestStore> CreateAsync(Action<IServiceCollection>? configure = null, bool migrate = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "rc-audit-tests", Guid.NewGuid().ToString("N"));
        // A folder that does not exist yet: AddAuditStore creates it.
        return await OpenAsync(Path.Combine(folder, "data", "audit.db"), configure, migrate, folder);
    }

    /// <summary>A second store on an existing file (a console started again): disposing it deletes nothing.</summary>
    public static Task<TestStore> OpenAsync(string databasePath, Action<IServiceCollection>? configure = null, bool migrate = true) =>
        OpenAsync(databasePath, configure, migrate, folder: null);

    private static async Task<TestStore> OpenAsync(string databasePath, Action<IServiceCollection>? configure, bool migrate, string? folder)
    {
        var services = new ServiceCollection();
        services.AddAuditStore(databasePath);
        configure?.Invoke(services);
        var store = new TestStore(folder, services.BuildServiceProvider(validateScopes: true));
        if (migrate) await store.Services.MigrateAuditStoreAsync(CancellationToken.None);
        return store;
    }

    public AuditDbContext NewContext() => Services.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContext();

    public async Task<SqliteConnection> OpenConnectionAsync()
    {
        var connection = new SqliteConnection(Options.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        var connectionString = Options.ConnectionString;
        await Services.DisposeAsync();
        using (var connection = new SqliteConnection(connectionString)) SqliteConnection.ClearPool(connection);
        if (Folder is null) return;
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { } // best effort: never fail a test on clean-up
    }
}
