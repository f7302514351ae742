namespace RecoveryConsole.Transports.Ssh.Files;

/// <summary>How a file transfer runs on the host.</summary>
public sealed record TransferOptions
{
    /// <summary>Read or write the remote side as root through <c>sudo -n</c> (cluster-backup.sh leaves root-only 0600 files).</summary>
    public bool UseSudo { get; init; }

    /// <summary>Instead of the profile's command timeout.</summary>
    public TimeSpan? Timeout { get; init; }
}

public enum TransferDirection { Upload, Download }

/// <summary>One regular file that arrived intact: both ends computed this SHA-256.</summary>
/// <param name="RelativePath">Within the transferred directory, '/'-separated; the file name for a single file.</param>
public sealed record TransferredFile(string RelativePath, long Bytes, string Sha256);

/// <summary>A verified transfer, for the transcript and the audit log.</summary>
public sealed record FileTransferResult(TransferDirection Direction, string Host, string LocalPath, string RemotePath, bool IsDirectory,
    IReadOnlyList<TransferredFile> Files)
{
    public long TotalBytes => Files.Sum(f => f.Bytes);
}
