using Microsoft.Data.Sqlite;

namespace RecoveryConsole.Audit.Storage;

/// <summary>Where the audit store lives: one SQLite file holding runs, transcripts, the audit log and the accounts.</summary>
public sealed class AuditStoreOptions
{
    public AuditStoreOptions(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite's own retry on SQLITE_BUSY, on top of PRAGMA busy_timeout.
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Absolute path of the SQLite file.</summary>
    public string DatabasePath { get; }

    public string ConnectionString { get; }
}
