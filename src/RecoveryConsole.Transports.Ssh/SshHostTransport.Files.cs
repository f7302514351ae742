using System.Formats.Tar;
using System.Text;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Files;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>
/// Files: a single file or a whole directory, in either direction, streamed through ssh (cat, or tar for
/// directories) and then verified: SHA-256 is computed on both ends and every file must match.
/// </summary>
public sealed partial class SshHostTransport
{
    public Task<FileTransferResult> UploadAsync(HostInfo host, string localPath, string remotePath, CancellationToken cancellationToken) =>
        UploadAsync(host, localPath, remotePath, new TransferOptions(), cancellationToken);

    public Task<FileTransferResult> DownloadAsync(HostInfo host, string remotePath, string localPath, CancellationToken cancellationToken) =>
        DownloadAsync(host, remotePath, localPath, new TransferOptions(), cancellationToken);

    /// <summary>
    /// Copies a local file to <paramref name="remotePath"/> (written under a temporary name, checked, then renamed into
    /// place), or a local directory's contents into the remote directory <paramref name="remotePath"/> (created if needed).
    /// Remote files are created with umask 077.
    /// </summary>
    /// <exception cref="FileTransferException">The host refused, or a checksum differs (the message lists each file).</exception>
    public async Task<FileTransferResult> UploadAsync(HostInfo host, string localPath, string remotePath, TransferOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var remote = RemotePath(remotePath);
        var local = Path.GetFullPath(localPath);
        var endpoint = await PrepareAsync(host, cancellationToken).ConfigureAwait(false);
        if (File.Exists(local)) return await UploadFileAsync(endpoint, local, remote, options, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(local)) return await UploadDirectoryAsync(endpoint, local, remote, options, cancellationToken).ConfigureAwait(false);
        throw new FileTransferException($"{local} does not exist.");
    }

    /// <summary>
    /// Copies a remote file to <paramref name="localPath"/>, or a remote directory's contents into the local directory
    /// <paramref name="localPath"/>. Local files are created 0600 and directories 0700: backups hold the cluster's secrets.
    /// </summary>
    /// <exception cref="FileTransferException">Missing on the host, refused, or a checksum differs (the message lists each file).</exception>
    public async Task<FileTransferResult> DownloadAsync(HostInfo host, string remotePath, string localPath, TransferOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var remote = RemotePath(remotePath);
        var local = Path.GetFullPath(localPath);
        var endpoint = await PrepareAsync(host, cancellationToken).ConfigureAwait(false);
        return await ProbeAsync(endpoint, remote, options, cancellationToken).ConfigureAwait(false) switch
        {
            RemoteKind.File => await DownloadFileAsync(endpoint, remote, local, options, cancellationToken).ConfigureAwait(false),
            RemoteKind.Directory => await DownloadDirectoryAsync(endpoint, remote, local, options, cancellationToken).ConfigureAwait(false),
            var kind => throw NotReadable(endpoint, remote, kind, options, "UseSudo"),
        };
    }

    private async Task<FileTransferResult> UploadFileAsync(HostEndpoint endpoint, string local, string remote, TransferOptions options, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var (bytes, sha) = await PutFileAsync(endpoint, file, local, remote, new RemoteWrite(null, CreateDirectories: true), options, cancellationToken).ConfigureAwait(false);
        return new FileTransferResult(TransferDirection.Upload, endpoint.Name, local, remote, false, [new TransferredFile(Split(remote).Name, bytes, sha)]);
    }

    private async Task<FileTransferResult> UploadDirectoryAsync(HostEndpoint endpoint, string local, string remote, TransferOptions options, CancellationToken cancellationToken)
    {
        var entries = LocalFiles.Enumerate(local);
        var files = new List<TransferredFile>();
        foreach (var file in entries.Where(e => !e.IsDirectory))
            files.Add(new TransferredFile(file.RelativePath, new FileInfo(file.FullPath).Length, await LocalFiles.Sha256Async(file.FullPath, cancellationToken).ConfigureAwait(false)));
        var q = ShellQuote.Quote(remote);
        var sent = await RawAsync(endpoint, $"umask 077 && mkdir -p -- {q} && tar -x -f - -C {q} --no-same-owner", options,
            async (stdin, ct) =>
            {
                await using var tar = new TarWriter(stdin, TarEntryFormat.Pax, leaveOpen: true);
                foreach (var entry in entries)
                    await tar.WriteEntryAsync(entry.FullPath, entry.RelativePath, ct).ConfigureAwait(false);
            },
            (s, ct) => s.CopyToAsync(Stream.Null, ct), cancellationToken).ConfigureAwait(false);
        if (sent.ExitCode != 0)
            throw new FileTransferException($"Upload of {local} to {endpoint.Name}:{remote} failed on the host (exit {sent.ExitCode}): {sent.Said}");
        if (files.Count > 0)
        {
            // Checksums of exactly the files sent (names NUL-separated on stdin, so any name is safe).
            var names = Encoding.UTF8.GetBytes(string.Concat(files.Select(f => f.RelativePath + "\0")));
            var sums = RemoteChecksums.Parse(await CaptureAsync(endpoint, $"cd -- {q} && xargs -0 -r sha256sum -z --", options, cancellationToken, names, allowFailure: true).ConfigureAwait(false));
            var problems = RemoteChecksums.Compare(files.ToDictionary(f => f.RelativePath, f => f.Sha256, StringComparer.Ordinal), sums, "here", "on the host");
            if (problems.Count > 0)
                throw new FileTransferException(
                    $"Upload of {local} to {endpoint.Name}:{remote} could not be verified: {problems.Count} of {files.Count} files differ or are missing on the host ({Summary(problems)}).",
                    problems);
        }
        return new FileTransferResult(TransferDirection.Upload, endpoint.Name, local, remote, true, files);
    }

    private async Task<FileTransferResult> DownloadFileAsync(HostEndpoint endpoint, string remote, string local, TransferOptions options, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(local)!;
        Directory.CreateDirectory(parent);
        var partial = Path.Combine(parent, $".{Path.GetFileName(local)}.rc-partial-{Guid.NewGuid().ToString("N")[..8]}");
        try
        {
            var (bytes, sha) = await GetFileAsync(endpoint, remote, (stdout, ct) => ArchiveFiles.SaveHashedAsync(stdout, partial, ct),
                $"Nothing was written to {local}.", options, cancellationToken).ConfigureAwait(false);
            File.Move(partial, local, overwrite: true);
            return new FileTransferResult(TransferDirection.Download, endpoint.Name, local, remote, false, [new TransferredFile(Path.GetFileName(remote), bytes, sha)]);
        }
        finally { File.Delete(partial); }
    }

    private async Task<FileTransferResult> DownloadDirectoryAsync(HostEndpoint endpoint, string remote, string local, TransferOptions options, CancellationToken cancellationToken)
    {
        var q = ShellQuote.Quote(remote);
        var manifest = RemoteChecksums.Parse(await CaptureAsync(endpoint, $"cd -- {q} && find . -type f -print0 | xargs -0 -r sha256sum -z --", options, cancellationToken).ConfigureAwait(false));
        LocalFiles.CreatePrivateDirectory(local);
        var received = new List<TransferredFile>();
        var read = await RawAsync(endpoint, $"tar -c -f - -C {q} .", options, null,
            (stdout, ct) => ArchiveFiles.ExtractAsync(stdout, local, received, ct), cancellationToken).ConfigureAwait(false);
        if (read.ExitCode != 0)
            throw new FileTransferException($"Download of {endpoint.Name}:{remote} failed on the host (exit {read.ExitCode}): {read.Said}");
        var problems = RemoteChecksums.Compare(received.ToDictionary(f => f.RelativePath, f => f.Sha256, StringComparer.Ordinal), manifest, "here", "on the host");
        if (problems.Count > 0)
            throw new FileTransferException(
                $"Download of {endpoint.Name}:{remote} into {local} could not be verified: {problems.Count} files differ or are missing ({Summary(problems)}). Do not use this copy.",
                problems);
        return new FileTransferResult(TransferDirection.Download, endpoint.Name, local, remote, true, received);
    }

    private static string RemotePath(string remotePath)
    {
        ArgumentNullException.ThrowIfNull(remotePath);
        if (!remotePath.StartsWith('/') || remotePath.Contains('\0') || remotePath.TrimEnd('/').Length == 0)
            throw new ArgumentException($"Remote path '{remotePath}' must be an absolute path below '/'.", nameof(remotePath));
        return remotePath.Length > 1 ? remotePath.TrimEnd('/') : remotePath;
    }

    private static (string Directory, string Name) Split(string remote)
    {
        var slash = remote.LastIndexOf('/');
        return (slash == 0 ? "/" : remote[..slash], remote[(slash + 1)..]);
    }

    private static string Show(string sha) => sha.Length == 0 ? "(none)" : sha;

    private static string Summary(IReadOnlyList<string> problems) =>
        string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : "");
}
