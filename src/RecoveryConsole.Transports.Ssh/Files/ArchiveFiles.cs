using System.Formats.Tar;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Files;

/// <summary>The local end of a download: files written private, hashed as they are written, archives unpacked safely.</summary>
internal static class ArchiveFiles
{
    /// <summary>Unpacks a tar stream under <paramref name="root"/>, refusing any entry that would land outside it or is not a plain file or directory.</summary>
    public static async Task ExtractAsync(Stream stream, string root, List<TransferredFile> received, CancellationToken cancellationToken)
    {
        var rootPrefix = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        await using var reader = new TarReader(stream, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var name = entry.Name;
            while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
            name = name.TrimEnd('/');
            if (name is "" or ".") continue;
            if (name.StartsWith('/') || name.Split('/').Contains(".."))
                throw new FileTransferException($"The archive from the host contains an unsafe path '{entry.Name}'; the download was stopped.", [entry.Name]);
            var target = Path.GetFullPath(Path.Combine(root, name));
            if (!target.StartsWith(rootPrefix, StringComparison.Ordinal))
                throw new FileTransferException($"The archive from the host contains an unsafe path '{entry.Name}'; the download was stopped.", [entry.Name]);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    LocalFiles.CreatePrivateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    LocalFiles.CreatePrivateDirectory(Path.GetDirectoryName(target)!);
                    File.Delete(target);
                    var (sha, bytes) = entry.DataStream is null
                        ? await SaveHashedAsync(Stream.Null, target, cancellationToken).ConfigureAwait(false)
                        : await SaveHashedAsync(entry.DataStream, target, cancellationToken).ConfigureAwait(false);
                    received.Add(new TransferredFile(name, bytes, sha));
                    break;
                default:
                    throw new FileTransferException(
                        $"{name} on the host is a {entry.EntryType} entry, not a regular file or directory; it cannot be verified, so the download was stopped.", [name]);
            }
        }
    }

    /// <summary>Writes a stream to a new private file while hashing exactly the bytes written.</summary>
    public static async Task<(string Sha256, long Bytes)> SaveHashedAsync(Stream source, string path, CancellationToken cancellationToken)
    {
        await using var file = LocalFiles.CreatePrivate(path);
        return await HashedCopy.CopyAsync(source, file, cancellationToken).ConfigureAwait(false);
    }
}
