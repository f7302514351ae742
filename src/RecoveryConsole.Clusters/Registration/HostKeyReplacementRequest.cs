namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// One user asks to trust <see cref="NewFingerprint"/> for a host instead of the key(s) trusted now; a different user
/// with the approver role decides. Kept until decided.
/// </summary>
public sealed record HostKeyReplacementRequest(
    Guid Id,
    string Cluster,
    string Host,
    string KeyLabel,
    string NewFingerprint,
    IReadOnlyList<string> TrustedFingerprints,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt)
{
    public string Describe() =>
        $"{Cluster}/{Host}: {KeyLabel} {NewFingerprint} instead of {string.Join(", ", TrustedFingerprints)}, requested by {RequestedBy} ({Reason})";
}
