namespace RecoveryConsole.Orchestration.Artifacts;

/// <summary>Owner-only files and folders: artifacts are etcd backups and manifests, which hold the cluster's secrets.</summary>
internal static class ArtifactFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static FileStream CreatePrivate(string path) => new(path, new FileStreamOptions
    {
        Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16,
        Options = FileOptions.Asynchronous, UnixCreateMode = FileMode,
    });

    /// <summary>Creates the folder if needed and makes it 0700 even if it existed with looser permissions.</summary>
    public static string PrivateDirectory(string path)
    {
        Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
        return path;
    }
}
