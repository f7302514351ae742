using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>Either a valid <see cref="Model.Procedure"/> or the complete list of what is wrong with the file.</summary>
public sealed record ProcedureLoadResult
{
    private ProcedureLoadResult(string filePath, Procedure? procedure, IReadOnlyList<ProcedureError> errors,
        string? id, SourcePosition? idPosition)
    {
        FilePath = filePath;
        Procedure = procedure;
        Errors = errors;
        Id = id;
        IdPosition = idPosition;
    }

    public string FilePath { get; }
    public Procedure? Procedure { get; }
    public IReadOnlyList<ProcedureError> Errors { get; }
    public bool Succeeded => Procedure is not null;

    /// <summary>The id written in the file, when it could be read (also for invalid files, to name them).</summary>
    public string? Id { get; }
    /// <summary>Where the id is written; the catalog points duplicate-id errors there.</summary>
    public SourcePosition? IdPosition { get; }

    internal static ProcedureLoadResult Success(Procedure procedure, SourcePosition? idPosition) =>
        new(procedure.FilePath, procedure, [], procedure.Id, idPosition);

    internal static ProcedureLoadResult Failure(string filePath, IReadOnlyList<ProcedureError> errors,
        string? id = null, SourcePosition? idPosition = null) =>
        new(filePath, null, errors, id, idPosition);
}
