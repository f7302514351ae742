using System.Formats.Tar;
using System.Security.Cryptography;

namespace RecoveryConsole.Transports.Kubernetes.Exec;

/// <summary>The single-file tar archives of <c>oc cp</c>: read one regular file out of a stream, or write one into a file.</summary>
internal static class TarFile
{
    /// <summary>
    /// Extracts the one regular file of the archive into <paramref name="target"/> (created 0600: snapshots hold
    /// secrets) and returns its size and SHA-256. Reads the stream to its end, so the writer never stalls.
    /// </summary>
    public static async Task<(long Bytes, string Sha256)> ExtractSingleAsync(Stream archive, string source, string target, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(archive, leaveOpen: true);
        (long, string)? found = null;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    if (found is not null) throw new PodCopyException($"{source} holds more than one file; only single files are copied.");
                    found = await WriteAsync(entry.DataStream, target, cancellationToken).ConfigureAwait(false);
                    break;
                case TarEntryType.Directory:
                    throw new PodCopyException($"{source} is a directory; copy the files in it one by one.");
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    throw new PodCopyException($"{source} is a link to {entry.LinkName}; copy the file it points to.");
            }
        }
        await archive.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false); // tar pads its output past the end marker
        return found ?? throw new PodCopyException($"The archive of {source} contained no file.");
    }

    /// <summary>Writes a one-file archive of <paramref name="source"/> named <paramref name="name"/> to <paramref name="archive"/>.</summary>
    public static async Task WriteSingleAsync(string source, string name, Stream archive, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(archive, TarEntryFormat.Gnu, leaveOpen: true);
        await using var data = File.OpenRead(source);
        var entry = new GnuTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(source),
            ModificationTime = File.GetLastWriteTimeUtc(source),
            Uid = 0,
            Gid = 0,
        };
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<(long Bytes, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        return (file.Length, Convert.ToHexStringLower(hash));
    }

    private static async Task<(long, string)> WriteAsync(Stream? data, string target, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var file = new FileStream(target, options);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        if (data is not null)
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                bytes += read;
            }
        }
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
