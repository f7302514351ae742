using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Catalog;

/// <summary>
/// The procedures of one folder (<c>*.yaml</c> and <c>*.yml</c>, not recursive), the one object everyone injects.
/// It holds an immutable <see cref="CatalogSnapshot"/> swapped whole by <see cref="Reload"/>, so a caller that reads
/// <see cref="Current"/> once sees one consistent folder. Loading never throws: a bad file becomes an
/// <see cref="InvalidProcedure"/> and the others stay available, so one typo cannot take every wizard offline in
/// the middle of an incident. A run holds the <see cref="Procedure"/> it started with; a reload never changes it.
/// </summary>
public sealed class ProcedureCatalog
{
    private readonly ProcedureLoaderOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lock _reloadGate = new();
    private CatalogSnapshot _current = CatalogSnapshot.Empty;

    private ProcedureCatalog(string folder, ProcedureLoaderOptions options, TimeProvider clock)
    {
        Folder = folder;
        _options = options;
        _clock = clock;
    }

    /// <summary>Raised after each reload that changed anything, with the new snapshot in place; handlers must be quick.</summary>
    public event Action<CatalogReload>? Changed;

    public string Folder { get; }
    public CatalogSnapshot Current => Volatile.Read(ref _current);
    public IReadOnlyList<Procedure> Procedures => Current.Procedures;
    public IReadOnlyList<InvalidProcedure> Invalid => Current.Invalid;

    public Procedure? Find(string id) => Current.Find(id);

    public static ProcedureCatalog Load(string folder, ProcedureLoaderOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        var catalog = new ProcedureCatalog(folder, options, clock ?? TimeProvider.System);
        catalog.Reload();
        return catalog;
    }

    /// <summary>Scans the folder again and swaps in what it offers now; see <see cref="CatalogScan"/> for the rules.</summary>
    public CatalogReload Reload()
    {
        lock (_reloadGate)
        {
            var reload = CatalogScan.Run(Folder, _options, Current, _clock.GetUtcNow());
            if (reload.IsEmpty) return reload;
            Volatile.Write(ref _current, reload.Snapshot);
            foreach (var handler in Changed?.GetInvocationList() ?? [])
            {
                try { ((Action<CatalogReload>)handler)(reload); }
                catch (Exception) { /* a broken listener (a closed page) must not stop the reload or the other listeners */ }
            }
            return reload;
        }
    }
}
