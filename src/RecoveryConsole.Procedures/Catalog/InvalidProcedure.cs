using RecoveryConsole.Procedures.Loading;

namespace RecoveryConsole.Procedures.Catalog;

/// <summary>A file of the procedures folder that cannot be offered, with every reason; shown to administrators.</summary>
public sealed record InvalidProcedure(string File, IReadOnlyList<ProcedureError> Errors)
{
    /// <summary>The id written in the file, when it could be read.</summary>
    public string? Id { get; init; }
}
