using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RecoveryConsole.Audit.Storage;

/// <summary>
/// Per-connection settings. journal_mode=WAL is persistent in the file (set once by MigrateAuditStoreAsync);
/// busy_timeout and synchronous belong to each connection, so they are set whenever one opens.
/// </summary>
public static class SqlitePragmas
{
    public const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>Readers never block the writer in WAL; NORMAL syncs at checkpoints, which WAL keeps safe against corruption.</summary>
    public const string PerConnection = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    public const string EnableWal = "PRAGMA journal_mode = WAL;";

    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = PerConnection;
        command.ExecuteNonQuery();
    }

    public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = PerConnection;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Applies <see cref="SqlitePragmas.PerConnection"/> to every connection EF Core opens.</summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    public static SqlitePragmaInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        SqlitePragmas.Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default) =>
        SqlitePragmas.ApplyAsync(connection, cancellationToken);
}
