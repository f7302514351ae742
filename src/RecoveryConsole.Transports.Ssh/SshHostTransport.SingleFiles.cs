using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Files;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>
/// The one path a single file takes in each direction, whatever the local side is (a local file for
/// Upload/Download, a caller's stream for <see cref="IHostFiles"/>): cat through ssh, hashed here while it flows,
/// sha256sum on the host, and for writes a partial file next to the target renamed into place only once both agree.
/// </summary>
public sealed partial class SshHostTransport
{
    private enum RemoteKind { File, Directory, Other, Missing, Unreadable }

    /// <summary>Beyond the bytes: the mode and owner given to the file (before the rename) and whether missing parents are created.</summary>
    private sealed record RemoteWrite(string? Mode, bool CreateDirectories, string? Owner = null);

    // Our scripts' own exit status for "the target directory does not exist" (cat, sh and mkdir use 1 and 2).
    private const int NoDirectoryExit = 3;

    private async Task<RemoteKind> ProbeAsync(HostEndpoint endpoint, string remote, TransferOptions options, CancellationToken cancellationToken)
    {
        var q = ShellQuote.Quote(remote);
        var kind = Encoding.UTF8.GetString(await CaptureAsync(endpoint,
            $"if [ -d {q} ]; then echo directory; elif [ -f {q} ]; then if [ -r {q} ]; then echo file; else echo unreadable; fi; " +
            $"elif [ -e {q} ]; then echo other; else echo missing; fi",
            options, cancellationToken).ConfigureAwait(false)).Trim();
        return kind switch
        {
            "file" => RemoteKind.File,
            "directory" => RemoteKind.Directory,
            "unreadable" => RemoteKind.Unreadable,
            "other" => RemoteKind.Other,
            _ => RemoteKind.Missing,
        };
    }

    /// <param name="sudoName">How the caller spells "use sudo" (UseSudo, sudo), for the hint.</param>
    private FileTransferException NotReadable(HostEndpoint endpoint, string remote, RemoteKind kind, TransferOptions options, string sudoName) => kind switch
    {
        RemoteKind.Directory => new($"{remote} on {endpoint.Name} is a directory, not a file."),
        RemoteKind.Other => new($"{remote} on {endpoint.Name} is neither a regular file nor a directory."),
        RemoteKind.Unreadable => new($"{remote} on {endpoint.Name}: permission denied for {Profile.User}; root-owned files need {sudoName}."),
        _ => new($"{remote} does not exist on {endpoint.Name}: no such file{(options.UseSudo ? "" : $" (or {Profile.User} cannot see it; root-only files need {sudoName})")}."),
    };

    /// <summary>
    /// Streams the remote file into <paramref name="save"/> (which hashes what it keeps), then compares with sha256sum on
    /// the host. <paramref name="leftBehind"/> tells the operator what a failed check leaves on the console's side.
    /// </summary>
    private async Task<(long Bytes, string Sha256)> GetFileAsync(HostEndpoint endpoint, string remote,
        Func<Stream, CancellationToken, Task<(string Sha256, long Bytes)>> save, string leftBehind, TransferOptions options, CancellationToken cancellationToken)
    {
        var q = ShellQuote.Quote(remote);
        string sha = "";
        long bytes = 0;
        var read = await RawAsync(endpoint, $"cat -- {q}", options, null,
            async (stdout, ct) => (sha, bytes) = await save(stdout, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (read.ExitCode != 0)
            throw new FileTransferException($"Download of {endpoint.Name}:{remote} failed on the host (exit {read.ExitCode}): {read.Said}." +
                RemoteFailures.PermissionHint(read.Stderr, Profile.User, options.UseSudo) + $" {leftBehind}");
        var remoteSha = FirstWord(await CaptureAsync(endpoint, $"sha256sum -- {q}", options, cancellationToken).ConfigureAwait(false));
        if (remoteSha != sha)
            throw new FileTransferException(
                $"Download of {endpoint.Name}:{remote} is corrupt or the file changed during the transfer: SHA-256 on the host {Show(remoteSha)}, here {sha}. {leftBehind}",
                [$"{Path.GetFileName(remote)}: SHA-256 on the host {Show(remoteSha)}, here {sha}"]);
        return (bytes, sha);
    }

    /// <summary>
    /// Writes <paramref name="source"/> to a partial file next to <paramref name="remote"/> (umask 077), hashing what is
    /// sent; only when sha256sum on the host agrees is it given its mode and renamed over the target (mv -T: never into a
    /// directory of that name). Any failure removes the partial file, so the target is either the old file or the new one.
    /// </summary>
    /// <param name="what">The source as the operator knows it (a local path, "the data"), for messages.</param>
    private async Task<(long Bytes, string Sha256)> PutFileAsync(HostEndpoint endpoint, Stream source, string what, string remote, RemoteWrite write,
        TransferOptions options, CancellationToken cancellationToken)
    {
        var (dir, name) = Split(remote);
        var partial = $"{dir}/.{name}.rc-partial-{Guid.NewGuid().ToString("N")[..8]}";
        var (qd, qp) = (ShellQuote.Quote(dir), ShellQuote.Quote(partial));
        var parent = write.CreateDirectories ? $"mkdir -p -- {qd}" : $"{{ [ -d {qd} ] || exit {NoDirectoryExit}; }}";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        Exception? sourceFailure = null;
        var stdout = new MemoryStream();
        var sent = await RawAsync(endpoint, $"umask 077 && {parent} && cat > {qp} && sha256sum -- {qp}", options,
            async (stdin, ct) =>
            {
                var buffer = new byte[1 << 16];
                while (true)
                {
                    int read;
                    // A source that fails must not look like a short file: remember it, and the partial copy is dropped below.
                    try { read = await source.ReadAsync(buffer, ct).ConfigureAwait(false); }
                    catch (Exception e) when (e is not OperationCanceledException) { sourceFailure = e; return; }
                    if (read == 0) return;
                    hash.AppendData(buffer, 0, read);
                    await stdin.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    bytes += read;
                }
            },
            (s, ct) => s.CopyToAsync(stdout, ct), cancellationToken).ConfigureAwait(false);
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        var remoteSha = FirstWord(stdout.ToArray());
        var target = $"{endpoint.Name}:{remote}";
        try
        {
            if (sourceFailure is not null)
                throw new FileTransferException($"Upload of {what} to {target} stopped: reading the source failed after {bytes} bytes ({sourceFailure.Message}). Nothing was replaced.", sourceFailure);
            if (sent.ExitCode == NoDirectoryExit)
                throw new FileTransferException($"Upload of {what} to {target} failed: the directory {dir} does not exist on {endpoint.Name} (and creating it was not asked for). Nothing was written.");
            if (sent.ExitCode != 0)
                throw new FileTransferException($"Upload of {what} to {target} failed on the host (exit {sent.ExitCode}): {sent.Said}." +
                    RemoteFailures.PermissionHint(sent.Stderr, Profile.User, options.UseSudo) + " Nothing was replaced.");
            if (remoteSha != sha)
                throw new FileTransferException(
                    $"Upload of {what} to {target} is corrupt: SHA-256 here {sha}, on the host {Show(remoteSha)}. The partial copy was removed; nothing was replaced.",
                    [$"{name}: SHA-256 here {sha}, on the host {Show(remoteSha)}"]);
            // chown before chmod: chown may clear set-id bits that the mode then sets again.
            var chown = write.Owner is null ? "" : $"chown {write.Owner} -- {qp} && ";
            var chmod = write.Mode is null ? "" : $"chmod {write.Mode} -- {qp} && ";
            await RequireAsync(endpoint, $"{chown}{chmod}mv -f -T -- {qp} {ShellQuote.Quote(remote)}", options,
                $"Upload of {what} to {target} was verified but could not be moved into place", cancellationToken).ConfigureAwait(false);
        }
        catch (FileTransferException)
        {
            await TryRemoveAsync(endpoint, partial, options).ConfigureAwait(false);
            throw;
        }
        return (bytes, sha);
    }

    private static string FirstWord(byte[] output) => Encoding.UTF8.GetString(output).Split(' ', 2)[0].Trim().ToLowerInvariant();
}
