using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Shell.Commands;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Hosts;

/// <summary>
/// <see cref="IHostFiles"/> on the simulated hosts, whose files are text: a read gives the content's UTF-8 bytes, a
/// write stores the bytes decoded as UTF-8. The host's checksum comes from what it stores, so bytes that are not
/// UTF-8 (a real etcd snapshot) cannot be kept as sent and fail verification, as a corrupting transfer would.
/// Privileges follow the lab shell: <c>cat</c> reads any path, writing outside the home and /tmp needs sudo.
/// </summary>
public sealed partial class LabHostTransport
{
    public async Task<FileTransfer> ReadAsync(HostInfo host, string path, Stream destination, bool sudo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(destination);
        var remote = AbsolutePath(path);
        cancellationToken.ThrowIfCancellationRequested();
        var labHost = Reach(host);
        var files = labHost.FileSystem;
        if (files.DirectoryExists(remote)) throw new FileTransferException($"{remote} on {labHost.Name} is a directory, not a file.");
        if (!files.TryReadFile(remote, out var content))
            throw new FileTransferException($"{remote} does not exist on {labHost.Name}: no such file.");

        var bytes = Encoding.UTF8.GetBytes(content);
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        // Hashed again on the host afterwards, as sha256sum runs after cat: a file changed in between is caught.
        files.TryGetSha256(remote, out var hostSha);
        if (hostSha != sha)
            throw new FileTransferException(
                $"Download of {labHost.Name}:{remote} is corrupt or the file changed during the transfer: SHA-256 on the host {Show(hostSha)}, here {sha}. " +
                "The bytes already written to the destination are not a verified copy: discard them.");
        return new FileTransfer(labHost.Name, remote, bytes.Length, sha);
    }

    public async Task<FileTransfer> WriteAsync(HostInfo host, string path, Stream source, FileWriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var remote = AbsolutePath(path);
        if (remote == "/") throw new ArgumentException("'/' is a directory, not a file path.", nameof(path));
        if (options.Mode is not null && !OctalMode().IsMatch(options.Mode)) // checked like the real transport; the lab keeps no modes
            throw new ArgumentException($"File mode '{options.Mode}' is not an octal mode such as 0600 or 0644.", nameof(options));
        cancellationToken.ThrowIfCancellationRequested();
        var labHost = Reach(host);
        var files = labHost.FileSystem;
        var target = $"{labHost.Name}:{remote}";
        var parent = LabFileSystem.ParentOf(remote);
        if (!FileCommandSupport.MayWrite(labHost, options.Sudo, remote))
            throw new FileTransferException($"Upload of the data to {target} failed on the host: Permission denied for {UserOf(labHost)}: " +
                "root-owned files and directories need sudo. Nothing was replaced.");
        if (!options.CreateDirectories && !files.DirectoryExists(parent))
            throw new FileTransferException($"Upload of the data to {target} failed: the directory {parent} does not exist on {labHost.Name} " +
                "(and creating it was not asked for). Nothing was written.");
        if (files.DirectoryExists(remote))
            throw new FileTransferException($"Upload of the data to {target} failed: {remote} is a directory. Nothing was replaced.");

        var (bytes, sha) = await ReceiveAsync(source, target, cancellationToken).ConfigureAwait(false);
        var content = Encoding.UTF8.GetString(bytes);
        // The host's checksum of what it would store; no partial file, because the simulated kubelet watches directories.
        var hostSha = LabFileSystem.Sha256Of(content);
        if (hostSha != sha)
            throw new FileTransferException(
                $"Upload of the data to {target} is corrupt: SHA-256 here {sha}, on the host {hostSha} (a lab host stores text, and these bytes are not UTF-8). Nothing was replaced.");
        try
        {
            files.WriteFile(remote, content);
        }
        catch (IOException e)
        {
            throw new FileTransferException($"Upload of the data to {target} failed on the host: {e.Message}. Nothing was replaced.", e);
        }
        return new FileTransfer(labHost.Name, remote, bytes.Length, sha);
    }

    /// <summary>The whole source (lab files live in memory anyway), hashed as it arrives; a failing source is not a short file.</summary>
    private static async Task<(byte[] Bytes, string Sha256)> ReceiveAsync(Stream source, string target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var received = new MemoryStream();
        var buffer = new byte[1 << 16];
        while (true)
        {
            int read;
            try { read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new FileTransferException($"Upload of the data to {target} stopped: reading the source failed after {received.Length} bytes ({e.Message}). Nothing was replaced.", e);
            }
            if (read == 0) break;
            hash.AppendData(buffer, 0, read);
            received.Write(buffer, 0, read);
        }
        return (received.ToArray(), Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string AbsolutePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/') || path.Contains('\0'))
            throw new ArgumentException($"Remote path '{path}' must be an absolute path below '/'.", nameof(path));
        return LabFileSystem.Normalize(path);
    }

    /// <summary>Lab hosts are entered as the owner of their home directory: core on RHCOS, root on 3.11 hosts.</summary>
    private static string UserOf(LabHost host) => LabFileSystem.NameOf(host.HomeDirectory);

    private static string Show(string sha) => sha.Length == 0 ? "(none: the file is gone)" : sha;

    [GeneratedRegex("^[0-7]{3,4}\\z")]
    private static partial Regex OctalMode();
}
