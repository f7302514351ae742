using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Catalog;

/// <summary>
/// The procedures of one folder (<c>*.yaml</c> and <c>*.yml</c>, not recursive). Loading never throws: a bad
/// file becomes an <see cref="InvalidProcedure"/> and the others stay available, so one typo cannot take
/// every wizard offline in the middle of an incident.
/// </summary>
public sealed class ProcedureCatalog
{
    private readonly Dictionary<string, Procedure> byId;

    private ProcedureCatalog(IReadOnlyList<Procedure> procedures, IReadOnlyList<InvalidProcedure> invalid)
    {
        Procedures = procedures;
        Invalid = invalid;
        byId = procedures.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<Procedure> Procedures { get; }
    public IReadOnlyList<InvalidProcedure> Invalid { get; }

    public Procedure? Find(string id) => byId.GetValueOrDefault(id);

    public static ProcedureCatalog Load(string folder, ProcedureLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string[] files;
        try
        {
            files = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal) // a stable order decides which of two duplicate ids wins
                    .ToArray()
                : throw new DirectoryNotFoundException($"The procedures folder {Path.GetFullPath(folder)} does not exist.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ProcedureCatalog([], [new InvalidProcedure(folder, [new ProcedureError(folder, 0, 0, "", ex.Message)])]);
        }

        var procedures = new List<Procedure>();
        var invalid = new List<InvalidProcedure>();
        var firstFileOfId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var result = LoadOne(file, options);
            if (result.Procedure is not { } procedure)
            {
                invalid.Add(new InvalidProcedure(file, result.Errors) { Id = result.Id });
                continue;
            }
            if (firstFileOfId.TryGetValue(procedure.Id, out var first))
            {
                var at = result.IdPosition ?? new SourcePosition(0, 0);
                invalid.Add(new InvalidProcedure(file,
                    [new ProcedureError(file, at.Line, at.Column, "id", $"id '{procedure.Id}' is already used by {Path.GetFileName(first)}.")])
                { Id = procedure.Id });
                continue;
            }
            firstFileOfId[procedure.Id] = file;
            procedures.Add(procedure);
        }
        return new ProcedureCatalog(procedures, invalid);
    }

    private static ProcedureLoadResult LoadOne(string file, ProcedureLoaderOptions options)
    {
        try
        {
            return ProcedureLoader.Load(file, options);
        }
        catch (Exception ex)
        {
            // A loader bug must cost one procedure, not the whole catalog.
            return ProcedureLoadResult.Failure(file, [new ProcedureError(file, 0, 0, "", $"could not be loaded: {ex.Message}")]);
        }
    }
}
