using RecoveryConsole.Transports.Ssh.HostKeys;

namespace RecoveryConsole.Transports.Ssh.Failures;

/// <summary>
/// The host's key is not in the console's known_hosts, so the connection was refused before anything was sent.
/// Carries what a scan of the host saw, so the operator can compare fingerprints and accept the right key.
/// </summary>
public sealed class HostKeyUnknownException(string host, string keyType, string? fingerprint, IReadOnlyList<ScannedHostKey> offeredKeys,
    string reason, IReadOnlyList<string> diagnostics)
    : SshConnectionException(host, SshFailureKind.HostKeyUnknown, reason, diagnostics)
{
    /// <summary>The key type ssh asked about, as ssh names it (e.g. "ED25519").</summary>
    public string KeyType { get; } = keyType;

    /// <summary>SHA256 fingerprint of that key from a scan of the host; null when the scan failed.</summary>
    public string? Fingerprint { get; } = fingerprint;

    /// <summary>Every key the scan saw (to be accepted with <see cref="KnownHosts.AcceptAsync"/> after the operator confirmed it).</summary>
    public IReadOnlyList<ScannedHostKey> OfferedKeys { get; } = offeredKeys;
}
