using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Catalog;

/// <summary>What one reload changed (<see cref="Cleared"/>: files no longer rejected, fixed or deleted): what the log and the audit say, and what the catalog page redraws for.</summary>
public sealed record CatalogReload(
    IReadOnlyList<Procedure> Loaded,
    IReadOnlyList<InvalidProcedure> Rejected,
    IReadOnlyList<Procedure> Removed,
    IReadOnlyList<InvalidProcedure> Cleared,
    CatalogSnapshot Snapshot)
{
    /// <summary>Nothing changed: the same procedures in the same versions, the same rejected files.</summary>
    public bool IsEmpty => Loaded.Count == 0 && Rejected.Count == 0 && Removed.Count == 0 && Cleared.Count == 0;
}
