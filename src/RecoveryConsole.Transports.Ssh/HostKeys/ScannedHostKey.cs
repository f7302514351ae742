namespace RecoveryConsole.Transports.Ssh.HostKeys;

/// <summary>A host key as a scan saw it: what the operator compares (<see cref="Fingerprint"/>) and what gets trusted (the key itself).</summary>
/// <param name="HostName">The host as known_hosts names it: the address on port 22, <c>[address]:port</c> otherwise.</param>
/// <param name="KeyType">ssh's algorithm name, e.g. <c>ssh-ed25519</c>.</param>
/// <param name="PublicKey">The key blob, base64, as in known_hosts.</param>
/// <param name="Fingerprint">The SHA256 fingerprint as ssh prints it: <c>SHA256:...</c>.</param>
/// <param name="Bits">Key size as ssh-keygen reports it.</param>
/// <param name="Label">ssh-keygen's short type name, e.g. <c>ED25519</c>.</param>
public sealed record ScannedHostKey(string HostName, string KeyType, string PublicKey, string Fingerprint, int Bits, string Label)
{
    /// <summary>The exact line <see cref="KnownHosts.AcceptAsync"/> appends.</summary>
    public string KnownHostsLine => $"{HostName} {KeyType} {PublicKey}";

    public override string ToString() => $"{HostName} {Label} {Fingerprint}";
}

/// <summary>What an operator accepted into a known_hosts file, for the caller to write into the audit log.</summary>
/// <param name="Replaced">Fingerprints of keys that were trusted for the host before and were removed (only when replacing).</param>
public sealed record AcceptedHostKey(string HostName, string KeyType, string Fingerprint, string KnownHostsFile, IReadOnlyList<string> Replaced, bool AlreadyTrusted);

/// <summary>A key the known_hosts file trusts for a host.</summary>
public sealed record KnownHostKey(string KeyType, string PublicKey, string Fingerprint, int LineNumber);
