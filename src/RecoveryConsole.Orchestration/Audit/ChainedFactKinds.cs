namespace RecoveryConsole.Orchestration.Audit;

/// <summary>Audit kinds the store writes by itself (kept apart from <see cref="AuditKinds"/>, which commands write).</summary>
public static class ChainedFactKinds
{
    /// <summary>A run, step execution or approval row as saved: its complete fields, so a later edit of the row shows.</summary>
    public const string Fact = "fact.saved";

    /// <summary>The boundary written when an existing unkeyed chain was continued with the keyed rule.</summary>
    public const string ChainKeyed = "audit.chain-keyed";
}
