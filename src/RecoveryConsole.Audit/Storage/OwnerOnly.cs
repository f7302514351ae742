namespace RecoveryConsole.Audit.Storage;

/// <summary>
/// Files and directories only the console's own user may read: the database, the chain key, the anchor and the signing
/// key. Modes are set at creation (never a window with the umask's wider mode) and tightened when they already exist.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
    }

    /// <summary>Creates an empty file with mode 0600 when it does not exist (SQLite then gives its -wal and -shm the same mode).</summary>
    public static void CreateFile(string path)
    {
        if (!File.Exists(path))
        {
            try { using var created = new FileStream(path, Options(System.IO.FileMode.CreateNew, FileShare.ReadWrite)); }
            catch (IOException) when (File.Exists(path)) { } // created by another process meanwhile
        }
        Tighten(path);
    }

    /// <summary>Writes a new file (mode 0600 from the first byte); fails if it exists, so a key is never overwritten.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, Options(System.IO.FileMode.CreateNew, FileShare.None));
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Options that create the file 0600 (append mode for the anchor, create-new for keys).</summary>
    public static FileStreamOptions Options(System.IO.FileMode mode, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return options;
    }

    public static void Tighten(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(path, FileMode);
    }
}
