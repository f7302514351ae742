namespace RecoveryConsole.Orchestration.Triage;

/// <summary>
/// Matching a procedure file to a document section. Both sides may list several sections ("5.2.1.3, 5.2.1.4"); a
/// procedure citing a sub-section ("5.3.2.2") is found under its parent ("5.3.2"). One citing a single step
/// ("5.3.2.2 step 1", say a backup taken as the restore's first step) is part of that procedure, not the procedure.
/// </summary>
public static class SourceSections
{
    public static IReadOnlyList<string> Split(string sections) =>
        sections.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool Matches(string procedureSections, string wantedSections) =>
        Split(procedureSections).Any(have => Split(wantedSections).Any(want =>
            have == want || have.StartsWith(want + ".", StringComparison.Ordinal)));
}
