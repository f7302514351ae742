using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Processes;

namespace RecoveryConsole.Transports.Ssh.HostKeys;

/// <summary>
/// The known_hosts file the console owns: the only source of host-key trust for a cluster. A key enters it only
/// through <see cref="AcceptAsync"/>, after an operator compared the fingerprint a scan showed; ssh itself never
/// writes to it (StrictHostKeyChecking=yes, UpdateHostKeys=no).
/// </summary>
public sealed partial class KnownHosts
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> FileGates = new(StringComparer.Ordinal);
    private readonly SshSettings _settings;

    public KnownHosts(string path, SshSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    public string Path { get; }

    // What may appear in a line we write: nothing that could start a second entry or a marker.
    [GeneratedRegex(@"^(?:\[[A-Za-z0-9.:%_-]+\]:[0-9]{1,5}|[A-Za-z0-9.:%_-]+)\z")]
    private static partial Regex HostNameSyntax();
    [GeneratedRegex("^[a-z0-9@.-]+\\z")]
    private static partial Regex KeyTypeSyntax();
    [GeneratedRegex("^[A-Za-z0-9+/]+={0,2}\\z")]
    private static partial Regex Base64Syntax();
    // ssh-keygen -l: "256 SHA256:abc... [127.0.0.1]:2222 (ED25519)"
    [GeneratedRegex(@"^(?<bits>\d+) (?<fp>SHA256:[A-Za-z0-9+/]+) .* \((?<label>[A-Z0-9-]+)\)$")]
    private static partial Regex KeygenLine();

    /// <summary>
    /// Asks the host for its keys directly (ssh-keyscan) and fingerprints them (ssh-keygen -l). The answer is not
    /// authenticated: it is shown to the operator, who compares it with the host's own console before accepting.
    /// </summary>
    public async Task<IReadOnlyList<ScannedHostKey>> ScanAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endpoint = new HostEndpoint(address, HostEndpoint.NormalizeAddress(address, address), port, "-");
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var scan = await CapturedRun.RunAsync(_settings.SshKeyscanPath,
            ["-p", port.ToString(CultureInfo.InvariantCulture), "-T", seconds, "-t", "rsa,ecdsa,ed25519", "--", endpoint.Address],
            timeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        var lines = scan.StdoutText.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        if (lines.Count == 0)
            throw new HostKeyScanException(
                $"ssh-keyscan got no host key from {endpoint.Display}{(scan.TimedOut ? " (timed out)" : "")}: " +
                (scan.StderrLines.LastOrDefault(l => !l.StartsWith('#')) ?? "the host did not answer"));
        return await FingerprintAsync(lines, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fingerprints known_hosts-format lines with ssh-keygen -l, cross-checked against the key blobs.</summary>
    internal async Task<IReadOnlyList<ScannedHostKey>> FingerprintAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var entries = KnownHostsFile.Parse(lines);
        var keygen = await CapturedRun.RunAsync(_settings.SshKeygenPath, ["-l", "-E", "sha256", "-f", "-"], TimeSpan.FromSeconds(30), cancellationToken,
            stdin: Encoding.UTF8.GetBytes(string.Join('\n', entries.Select(e => $"{e.Hosts} {e.KeyType} {e.PublicKey}")) + "\n")).ConfigureAwait(false);
        var printed = keygen.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (keygen.ExitCode != 0 || printed.Length != entries.Count)
            throw new HostKeyScanException($"ssh-keygen could not fingerprint the scanned keys: {keygen.StderrText}");
        var keys = new List<ScannedHostKey>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var m = KeygenLine().Match(printed[i].Trim());
            // ssh-keygen and our own hash must agree: the fingerprint shown is the key that will be trusted.
            if (!m.Success || m.Groups["fp"].Value != KeyFingerprint.Of(e.PublicKey))
                throw new HostKeyScanException($"ssh-keygen's fingerprint for the {e.KeyType} key of {e.Hosts} does not match the key itself.");
            keys.Add(new ScannedHostKey(e.Hosts, e.KeyType, e.PublicKey, m.Groups["fp"].Value,
                int.Parse(m.Groups["bits"].Value, CultureInfo.InvariantCulture), m.Groups["label"].Value));
        }
        return keys;
    }

    /// <summary>The keys this file trusts for <paramref name="address"/>:<paramref name="port"/>.</summary>
    public async Task<IReadOnlyList<KnownHostKey>> FindAsync(string address, int port, CancellationToken cancellationToken)
    {
        var name = HostEndpoint.KnownHostsNameOf(address, port);
        return (await ReadAsync(cancellationToken).ConfigureAwait(false))
            .Where(e => KnownHostsFile.Matches(e.Hosts, name))
            .Select(e => new KnownHostKey(e.KeyType, e.PublicKey, KeyFingerprint.Of(e.PublicKey) ?? "(unreadable key)", e.LineNumber))
            .ToList();
    }

    /// <summary>
    /// Trusts exactly <paramref name="key"/>, the key whose fingerprint the operator confirmed (never a fresh scan:
    /// the key could change between showing and accepting). If the host already has a different key of the same type,
    /// the call is refused unless <paramref name="replaceExisting"/> says the operator verified a replaced host.
    /// Returns what was accepted, for the caller's audit log.
    /// </summary>
    public async Task<AcceptedHostKey> AcceptAsync(ScannedHostKey key, bool replaceExisting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!HostNameSyntax().IsMatch(key.HostName) || !KeyTypeSyntax().IsMatch(key.KeyType) || !Base64Syntax().IsMatch(key.PublicKey))
            throw new ArgumentException("The host key is malformed; it was not added.", nameof(key));
        if (KeyFingerprint.Of(key.PublicKey) != key.Fingerprint)
            throw new ArgumentException($"The fingerprint {key.Fingerprint} does not belong to this key; it was not added.", nameof(key));

        var gate = FileGates.GetOrAdd(Path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lines = File.Exists(Path) ? (await File.ReadAllLinesAsync(Path, cancellationToken).ConfigureAwait(false)).ToList() : [];
            var forHost = KnownHostsFile.Parse(lines).Where(e => KnownHostsFile.Matches(e.Hosts, key.HostName)).ToList();
            if (forHost.Any(e => e.KeyType == key.KeyType && e.PublicKey == key.PublicKey))
                return new AcceptedHostKey(key.HostName, key.KeyType, key.Fingerprint, Path, [], AlreadyTrusted: true);

            var conflicting = forHost.Where(e => e.KeyType == key.KeyType).ToList();
            if (conflicting.Count > 0 && !replaceExisting)
                throw new InvalidOperationException(
                    $"{key.HostName} already has a different trusted {key.Label} key ({KeyFingerprint.Of(conflicting[0].PublicKey)}). " +
                    "Replace it only after verifying the new fingerprint on the host itself.");
            var replaced = replaceExisting ? forHost : [];
            var dropped = replaced.Select(e => e.LineNumber).ToHashSet();
            var kept = lines.Where((_, i) => !dropped.Contains(i + 1)).ToList();
            kept.Add(key.KnownHostsLine);
            await WriteAtomicallyAsync(kept, cancellationToken).ConfigureAwait(false);
            return new AcceptedHostKey(key.HostName, key.KeyType, key.Fingerprint, Path,
                replaced.Select(e => KeyFingerprint.Of(e.PublicKey) ?? "(unreadable key)").ToList(), AlreadyTrusted: false);
        }
        finally { gate.Release(); }
    }

    /// <summary>Removes every key trusted for the host (for a host that is gone for good). Returns the removed fingerprints.</summary>
    public async Task<IReadOnlyList<string>> RemoveAsync(string address, int port, CancellationToken cancellationToken)
    {
        var name = HostEndpoint.KnownHostsNameOf(address, port);
        var gate = FileGates.GetOrAdd(Path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(Path)) return [];
            var lines = (await File.ReadAllLinesAsync(Path, cancellationToken).ConfigureAwait(false)).ToList();
            var removed = KnownHostsFile.Parse(lines).Where(e => KnownHostsFile.Matches(e.Hosts, name)).ToList();
            if (removed.Count == 0) return [];
            var dropped = removed.Select(e => e.LineNumber).ToHashSet();
            await WriteAtomicallyAsync(lines.Where((_, i) => !dropped.Contains(i + 1)).ToList(), cancellationToken).ConfigureAwait(false);
            return removed.Select(e => KeyFingerprint.Of(e.PublicKey) ?? "(unreadable key)").ToList();
        }
        finally { gate.Release(); }
    }

    private async Task<IReadOnlyList<KnownHostsFile.Entry>> ReadAsync(CancellationToken cancellationToken) =>
        File.Exists(Path) ? KnownHostsFile.Parse(await File.ReadAllLinesAsync(Path, cancellationToken).ConfigureAwait(false)) : [];

    /// <summary>Readers (ssh) see the old file or the new one, never half of it.</summary>
    private async Task WriteAtomicallyAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temp = Path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        await using (var stream = new FileStream(temp, new FileStreamOptions
                     {
                         Mode = FileMode.CreateNew, Access = FileAccess.Write,
                         UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                     }))
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            foreach (var line in lines) await writer.WriteAsync(line + "\n").ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }
}

/// <summary>A host-key scan produced nothing usable.</summary>
public sealed class HostKeyScanException(string message) : Exception(message);
