using System.Security.Cryptography;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Files;

/// <summary>The local side of a transfer: which files, and their SHA-256.</summary>
internal static class LocalFiles
{
    public sealed record Entry(string RelativePath, string FullPath, bool IsDirectory);

    /// <summary>
    /// Every directory and regular file under <paramref name="root"/>, parents first. Symbolic links and special files
    /// are refused rather than skipped: a backup that silently lost a file is worse than one that failed loudly.
    /// </summary>
    public static IReadOnlyList<Entry> Enumerate(string root)
    {
        var entries = new List<Entry>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (info.LinkTarget is not null)
                    throw new FileTransferException($"{info.FullName} is a symbolic link; copy what it points to instead.", [relative]);
                if (info is DirectoryInfo)
                {
                    entries.Add(new Entry(relative, info.FullName, true));
                    pending.Push(info.FullName);
                }
                else if ((info.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0 && info is FileInfo)
                    entries.Add(new Entry(relative, info.FullName, false));
                else
                    throw new FileTransferException($"{info.FullName} is not a regular file and cannot be transferred.", [relative]);
            }
        }
        return entries;
    }

    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Files the transfer creates locally are private: backups hold the cluster's secrets.</summary>
    public static FileStream CreatePrivate(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16, Options = FileOptions.Asynchronous,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    });

    public static void CreatePrivateDirectory(string path) =>
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
