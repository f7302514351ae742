namespace RecoveryConsole.Orchestration.Transports;

/// <summary>
/// Files on a cluster's hosts, moved through the console. A transport that can move files implements this next to
/// <see cref="IHostTransport"/>. Every transfer is verified: the host computes the file's SHA-256 on its side and the
/// console over the bytes it received or sent; a mismatch throws <see cref="FileTransferException"/>.
/// </summary>
public interface IHostFiles
{
    /// <summary>Copies <paramref name="path"/> on the host into <paramref name="destination"/> (with sudo for root-owned files).</summary>
    Task<FileTransfer> ReadAsync(HostInfo host, string path, Stream destination, bool sudo, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="source"/> to <paramref name="path"/> on the host, atomically (a temporary file renamed into place).</summary>
    Task<FileTransfer> WriteAsync(HostInfo host, string path, Stream source, FileWriteOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// The owner and mode of an existing file, so that an edit can keep them; null when the file does not exist or the
    /// transport keeps neither (the lab's files have no owners or modes).
    /// </summary>
    Task<FileOwnership?> OwnershipAsync(HostInfo host, string path, bool sudo, CancellationToken cancellationToken) =>
        Task.FromResult<FileOwnership?>(null);
}

/// <summary>
/// How a file is written: as root (sudo), with a mode such as "0600", creating missing parent directories, and with an
/// owner as numeric "uid:gid" (set before the rename, so the file never appears with another owner).
/// </summary>
public sealed record FileWriteOptions(bool Sudo = false, string? Mode = null, bool CreateDirectories = true, string? Owner = null);

/// <summary>A file's mode (octal, e.g. "640") and numeric owner ("uid:gid") as the host reports them.</summary>
public sealed record FileOwnership(string Mode, string Owner);

/// <summary>A verified transfer: the file's path on the host, its size and the SHA-256 both ends agreed on (lower-case hex).</summary>
public sealed record FileTransfer(string Host, string Path, long Bytes, string Sha256);

/// <summary>A transfer that did not complete or whose checksums differ; the message says which and what is left behind.</summary>
public sealed class FileTransferException : IOException
{
    public FileTransferException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>A transfer of several files (a directory) names each file concerned in <paramref name="problems"/>.</summary>
    public FileTransferException(string message, IReadOnlyList<string> problems) : base(message) => Problems = problems;

    /// <summary>One sentence per file that differs or is missing on one side; empty when the message says it all.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
