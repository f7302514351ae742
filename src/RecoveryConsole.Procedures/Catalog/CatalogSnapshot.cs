using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Catalog;

/// <summary>
/// What the procedures folder offered at one scan. Immutable, so a page or a run reading it never sees half a
/// reload; <see cref="ProcedureCatalog"/> swaps whole snapshots.
/// </summary>
public sealed class CatalogSnapshot
{
    private readonly Dictionary<string, Procedure> _byId;
    private readonly Dictionary<string, InvalidProcedure> _newerInvalid;

    public CatalogSnapshot(IReadOnlyList<Procedure> procedures, IReadOnlyList<InvalidProcedure> invalid)
    {
        Procedures = procedures;
        Invalid = invalid;
        _byId = procedures.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _newerInvalid = invalid.Where(i => i.KeptVersion is not null)
            .ToDictionary(i => i.KeptVersion!.Id, StringComparer.Ordinal);
    }

    public static CatalogSnapshot Empty { get; } = new([], []);

    public IReadOnlyList<Procedure> Procedures { get; }
    public IReadOnlyList<InvalidProcedure> Invalid { get; }

    public Procedure? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The rejected newer file of a procedure still offered in its last good version, if any.</summary>
    public InvalidProcedure? NewerVersionInvalid(string id) => _newerInvalid.GetValueOrDefault(id);
}
