using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Audit.AuditTrail;
using RecoveryConsole.Audit.Clusters;
using RecoveryConsole.Audit.Runs;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Audit.Transcript;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit;

public static class AuditStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SQLite audit store at <paramref name="databasePath"/> (its directory is created):
    /// IDbContextFactory&lt;AuditDbContext&gt; (singleton), AuditDbContext (scoped, for Identity's stores),
    /// IRunRepository, ITranscriptStore, IAuditLog and IClusterRecords (singletons; each call uses its own context).
    /// The folder and the file are created owner-only; the audit chain key lives in <paramref name="keysDirectory"/>
    /// (default: keys/ next to the database) and the chain's anchor file next to the database.
    /// Call <see cref="MigrateAuditStoreAsync"/> at start-up.
    /// </summary>
    public static IServiceCollection AddAuditStore(this IServiceCollection services, string databasePath, string? keysDirectory = null,
        Action<AuditStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new AuditStoreOptions(databasePath, keysDirectory);
        configure?.Invoke(options);
        options.PrepareFiles();

        services.AddSingleton(options);
        services.AddDbContextFactory<AuditDbContext>(builder => AuditDbContext.Configure(builder, options.ConnectionString));
        // The scoped context comes from the same factory (the documented way to have both), so options stay singleton.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AuditDbContext>>().CreateDbContext());

        services.AddSingleton<IRunRepository, RunRepository>();
        services.AddSingleton<TranscriptRunKeys>(); // one per database: remembers committed run keys
        services.AddSingleton<TranscriptWrites>();
        services.AddSingleton<ITranscriptStore, TranscriptStore>();
        services.AddSingleton<IHostContacts, HostContactQuery>();
        services.AddSingleton<ITranscriptQuery, TranscriptQuery>();
        services.AddSingleton<TranscriptSearchIndexer>();
        // Started only where a host runs hosted services (the console); it waits for the migrations by retrying.
        services.AddHostedService<TranscriptSearchIndexing>();
        services.AddSingleton<AuditLog>(); // one instance: its lock serialises appends and chained facts
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<IClusterRecords, ClusterRecordStore>();
        services.AddSingleton<IClusterDefinitions, ClusterDefinitionStore>();
        services.TryAddSingleton(TimeProvider.System);
        // Secrets need the host's Data Protection key ring (the web host persists it in the data directory).
        services.AddDataProtection();
        services.AddSingleton<ISecretStore, ProtectedSecretStore>();
        return services;
    }

    /// <summary>Switches the file to WAL (persistent in the file), applies pending migrations and readies the audit chain key.</summary>
    public static async Task MigrateAuditStoreAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<AuditStoreOptions>();
        await using (var connection = new SqliteConnection(options.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqlitePragmas.EnableWal;
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"SQLite refused WAL mode for {options.DatabasePath} (journal_mode is {mode}).");
        }

        var contexts = services.GetRequiredService<IDbContextFactory<AuditDbContext>>();
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        await context.Database.MigrateAsync(cancellationToken);
        await services.GetRequiredService<AuditLog>().PrepareKeyAsync(cancellationToken);
    }
}
