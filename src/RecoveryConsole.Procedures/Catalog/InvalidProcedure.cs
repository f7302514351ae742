using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Catalog;

/// <summary>A file of the procedures folder that cannot be offered, with every reason; shown to administrators.</summary>
public sealed record InvalidProcedure(string File, IReadOnlyList<ProcedureError> Errors)
{
    /// <summary>The id written in the file, when it could be read.</summary>
    public string? Id { get; init; }

    /// <summary>SHA-256 of the file's bytes as read (empty when it could not be read): names the rejected version.</summary>
    public string VersionHash { get; init; } = "";

    /// <summary>Since when this exact content has been rejected (the first scan that saw it).</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>The last good version of this file, still in service because the newer one is invalid.</summary>
    public Procedure? KeptVersion { get; init; }
}
