namespace RecoveryConsole.Transports.Ssh.Failures;

/// <summary>
/// The host offered a different key than the one the console trusts: a reinstalled host or a man-in-the-middle.
/// The connection was refused before anything was sent; the step stops.
/// </summary>
public sealed class HostKeyChangedException(string host, string keyType, string? offeredFingerprint, string knownHostsFile,
    string reason, IReadOnlyList<string> diagnostics)
    : SshConnectionException(host, SshFailureKind.HostKeyChanged, reason, diagnostics)
{
    public string KeyType { get; } = keyType;

    /// <summary>The SHA256 fingerprint the host offered now, as ssh printed it.</summary>
    public string? OfferedFingerprint { get; } = offeredFingerprint;

    public string KnownHostsFile { get; } = knownHostsFile;
}
