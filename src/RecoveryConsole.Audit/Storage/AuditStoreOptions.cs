using Microsoft.Data.Sqlite;

namespace RecoveryConsole.Audit.Storage;

/// <summary>Where the audit store lives: one SQLite file holding runs, transcripts, the audit log and the accounts.</summary>
public sealed class AuditStoreOptions
{
    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="keysDirectory">Where the audit chain key lives; by default <c>keys/</c> next to the database.</param>
    public AuditStoreOptions(string databasePath, string? keysDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        DataDirectory = Path.GetDirectoryName(DatabasePath)!;
        KeysDirectory = Path.GetFullPath(keysDirectory ?? Path.Combine(DataDirectory, "keys"));
        AnchorPath = Path.Combine(DataDirectory, AuditTrail.AuditAnchor.FileName);
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

    /// <summary>The folder holding the database (0700).</summary>
    public string DataDirectory { get; }

    /// <summary>The audit chain key's folder (0700); never inside the database.</summary>
    public string KeysDirectory { get; }

    /// <summary>The append-only file of chain heads, outside the database.</summary>
    public string AnchorPath { get; }

    /// <summary>When set (e.g. /dev/log), each chain head is also sent to syslog/journald through this socket.</summary>
    public string? SyslogSocket { get; set; }

    /// <summary>The database's folder and file owner-only before SQLite first opens it (its -wal and -shm inherit the file's mode).</summary>
    public void PrepareFiles()
    {
        OwnerOnly.CreateDirectory(DataDirectory);
        OwnerOnly.CreateFile(DatabasePath);
        OwnerOnly.Tighten(DatabasePath + "-wal");
        OwnerOnly.Tighten(DatabasePath + "-shm");
    }
}
