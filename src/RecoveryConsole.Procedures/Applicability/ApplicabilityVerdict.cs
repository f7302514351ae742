namespace RecoveryConsole.Procedures.ApplicabilityRules;

/// <summary>Whether a procedure may run on a cluster; <see cref="Reason"/> says why not, in words an operator reads.</summary>
public sealed record ApplicabilityVerdict(bool Applies, string Reason)
{
    public static readonly ApplicabilityVerdict Yes = new(true, "");
}
