using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Files;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>
/// <see cref="IHostFiles"/>: single files to and from the console's streams, over the same verified path as
/// Upload/Download. With sudo the whole remote side (probe, cat, sha256sum, chmod, mv) runs under <c>sudo -n sh -c</c>,
/// so root-only files (cluster-backup.sh's 0600 snapshots) can be read and root-owned directories written.
/// </summary>
public sealed partial class SshHostTransport : IHostFiles
{
    /// <inheritdoc />
    /// <remarks>
    /// The bytes reach <paramref name="destination"/> as they arrive; when the host's SHA-256 then differs, the
    /// exception says so and what was written is not a verified copy (the caller discards it).
    /// </remarks>
    public async Task<FileTransfer> ReadAsync(HostInfo host, string path, Stream destination, bool sudo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(destination);
        var remote = RemotePath(path);
        var options = new TransferOptions { UseSudo = sudo };
        var endpoint = await PrepareAsync(host, cancellationToken).ConfigureAwait(false);
        var kind = await ProbeAsync(endpoint, remote, options, cancellationToken).ConfigureAwait(false);
        if (kind != RemoteKind.File) throw NotReadable(endpoint, remote, kind, options, "sudo");
        var (bytes, sha) = await GetFileAsync(endpoint, remote, (stdout, ct) => HashedCopy.CopyAsync(stdout, destination, ct),
            "The bytes already written to the destination are not a verified copy: discard them.", options, cancellationToken).ConfigureAwait(false);
        return new FileTransfer(endpoint.Name, remote, bytes, sha);
    }

    /// <inheritdoc />
    /// <remarks>Without <see cref="FileWriteOptions.Mode"/> the file is created 0600 (umask 077): it may hold secrets.</remarks>
    public async Task<FileTransfer> WriteAsync(HostInfo host, string path, Stream source, FileWriteOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var remote = RemotePath(path);
        if (remote == "/") throw new ArgumentException("'/' is a directory, not a file path.", nameof(path));
        var mode = ValidMode(options.Mode);
        var owner = ValidOwner(options.Owner);
        var endpoint = await PrepareAsync(host, cancellationToken).ConfigureAwait(false);
        var (bytes, sha) = await PutFileAsync(endpoint, source, "the data", remote, new RemoteWrite(mode, options.CreateDirectories, owner),
            new TransferOptions { UseSudo = options.Sudo }, cancellationToken).ConfigureAwait(false);
        return new FileTransfer(endpoint.Name, remote, bytes, sha);
    }

    /// <inheritdoc />
    /// <remarks><c>stat -c '%a %u:%g'</c> on the host (GNU coreutils, as on RHCOS and RHEL); numeric, so no name lookup can differ.</remarks>
    public async Task<FileOwnership?> OwnershipAsync(HostInfo host, string path, bool sudo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var remote = RemotePath(path);
        var q = Procedures.Rendering.ShellQuote.Quote(remote);
        var endpoint = await PrepareAsync(host, cancellationToken).ConfigureAwait(false);
        var said = System.Text.Encoding.UTF8.GetString(await CaptureAsync(endpoint, $"if [ -e {q} ]; then stat -c '%a %u:%g' -- {q}; fi",
            new TransferOptions { UseSudo = sudo }, cancellationToken).ConfigureAwait(false)).Trim();
        if (said.Length == 0) return null;
        var parts = said.Split(' ');
        if (parts.Length != 2 || !OctalMode().IsMatch(parts[0]) || !NumericOwner().IsMatch(parts[1]))
            throw new FileTransferException($"On {endpoint.Name}, stat of {remote} answered '{said}', not a mode and an owner.");
        return new FileOwnership(parts[0], parts[1]);
    }

    /// <summary>A numeric "uid:gid"; it goes into the remote script, so nothing else passes.</summary>
    internal static string? ValidOwner(string? owner)
    {
        if (owner is null) return null;
        if (!NumericOwner().IsMatch(owner))
            throw new ArgumentException($"File owner '{owner}' is not a numeric uid:gid such as 0:0.", nameof(owner));
        return owner;
    }

    [GeneratedRegex("^[0-9]{1,10}:[0-9]{1,10}\\z")]
    private static partial Regex NumericOwner();

    /// <summary>An octal mode such as "0600" or "644"; it goes into the remote script, so nothing else passes.</summary>
    internal static string? ValidMode(string? mode)
    {
        if (mode is null) return null;
        if (!OctalMode().IsMatch(mode))
            throw new ArgumentException($"File mode '{mode}' is not an octal mode such as 0600 or 0644.", nameof(mode));
        return mode;
    }

    [GeneratedRegex("^[0-7]{3,4}\\z")]
    private static partial Regex OctalMode();
}
