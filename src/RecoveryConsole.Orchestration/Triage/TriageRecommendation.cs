using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Triage;

public enum TriageOutcome
{
    /// <summary>Run the linked procedure.</summary>
    RunProcedure,
    /// <summary>Something other than a restore is the right action (replace a member, re-create from source).</summary>
    NotARestore,
    /// <summary>The document has a procedure for this, but the catalog has no file for it (or none that applies).</summary>
    NoProcedureYet,
    /// <summary>Without one healthy control-plane host no documented recovery works.</summary>
    CannotRecover,
    /// <summary>Everything answered healthy.</summary>
    NothingToRecover,
    /// <summary>More answers are needed to decide.</summary>
    NeedAnswers,
}

/// <summary>A procedure the advice links to, what it is for here ("recommended", "last resort", "first") and why.</summary>
public sealed record ProcedureAdvice(Procedure Procedure, string Role, string Why);

/// <summary>The advice: one headline, the document's reasoning behind it, and the procedures to open.</summary>
public sealed record TriageRecommendation(TriageOutcome Outcome, string Headline, IReadOnlyList<string> Reasons)
{
    public IReadOnlyList<ProcedureAdvice> Procedures { get; init; } = [];
    /// <summary>Procedures that match the situation but not this cluster, with the applicability reason.</summary>
    public IReadOnlyList<string> NotApplicable { get; init; } = [];
    /// <summary>The questions whose answers would decide it.</summary>
    public IReadOnlyList<string> MissingAnswers { get; init; } = [];
}
