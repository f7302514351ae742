namespace RecoveryConsole.Orchestration.Audit;

/// <summary>
/// The result of verifying the audit chain against its key, its outside anchor and the rows it vouches for.
/// Findings are sentences for people, most important first; none means intact.
/// </summary>
public sealed record AuditVerification(long Entries, AuditHead? Head, AuditHead? AnchoredHead, long? FirstBrokenId, IReadOnlyList<string> Findings)
{
    public bool Intact => Findings.Count == 0;

    /// <summary>One line for a page or an export.</summary>
    public string Summary => Intact
        ? $"intact: {Entries} entries, head seq {Head?.Sequence ?? 0}, matches the outside anchor"
        : "BROKEN: " + Findings[0] + (Findings.Count > 1 ? $" (+{Findings.Count - 1} more)" : "");
}

/// <summary>The newest entry of the chain: its sequence (the entry id) and its keyed hash.</summary>
public sealed record AuditHead(long Sequence, string Hash);
