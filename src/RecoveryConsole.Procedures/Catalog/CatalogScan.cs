using System.Security.Cryptography;
using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Catalog;

/// <summary>
/// One scan of the procedures folder against the snapshot in service. Per file: a valid version replaces the old
/// one; an invalid one is listed while the last good version of that file stays offered; a deleted file's
/// procedure goes. An id already held keeps its file: a newcomer with the same id is rejected, never a silent swap.
/// </summary>
internal static class CatalogScan
{
    public static CatalogReload Run(string folder, ProcedureLoaderOptions options, CatalogSnapshot previous, DateTimeOffset now)
    {
        string[] files;
        try
        {
            files = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal) // a stable order decides which of two new duplicate ids wins
                    .ToArray()
                : throw new DirectoryNotFoundException($"The procedures folder {Path.GetFullPath(folder)} does not exist.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be read is not a folder emptied: what was offered stays offered.
            var error = new InvalidProcedure(folder, [new ProcedureError(folder, 0, 0, "", ex.Message)]) { Since = now };
            return Diff(previous, new CatalogSnapshot(previous.Procedures, [error]), now);
        }

        var results = files.Select(f => LoadOne(f, options)).ToList();
        var previousByFile = previous.Procedures.ToDictionary(p => p.FilePath, StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal); // id -> file that holds it
        var offered = new Dictionary<string, Procedure>(StringComparer.Ordinal); // file -> procedure
        var invalid = new Dictionary<string, InvalidProcedure>(StringComparer.Ordinal); // file -> why

        // Last good versions of files now invalid hold their ids first.
        foreach (var (file, result, hash) in results.Where(r => r.Result.Procedure is null))
        {
            var kept = previousByFile.GetValueOrDefault(file);
            if (kept is not null && owners.TryAdd(kept.Id, file)) offered[file] = kept;
            invalid[file] = Invalid(file, result.Errors, result.Id, hash, kept, previous, now);
        }

        // Among valid files with one id, the file that held it keeps it; otherwise the first in order.
        foreach (var group in results.Where(r => r.Result.Procedure is not null).GroupBy(r => r.Result.Procedure!.Id, StringComparer.Ordinal))
        {
            var id = group.Key;
            var heldBy = previous.Find(id)?.FilePath;
            var candidates = group.OrderBy(r => r.File == heldBy ? 0 : 1).ThenBy(r => r.File, StringComparer.Ordinal).ToList();
            foreach (var (file, result, hash) in candidates)
            {
                if (owners.TryAdd(id, file))
                {
                    offered[file] = result.Procedure!;
                    continue;
                }
                var at = result.IdPosition ?? new SourcePosition(0, 0);
                invalid[file] = Invalid(file,
                    [new ProcedureError(file, at.Line, at.Column, "id", $"id '{id}' is already used by {Path.GetFileName(owners[id])}.")],
                    id, hash, null, previous, now);
            }
        }

        var snapshot = new CatalogSnapshot(
            files.Where(offered.ContainsKey).Select(f => offered[f]).ToList(),
            files.Where(invalid.ContainsKey).Select(f => invalid[f]).ToList());
        return Diff(previous, snapshot, now);
    }

    private static CatalogReload Diff(CatalogSnapshot previous, CatalogSnapshot next, DateTimeOffset now)
    {
        var loaded = next.Procedures.Where(p => previous.Find(p.Id) is not { } old || old.VersionHash != p.VersionHash || old.FilePath != p.FilePath).ToList();
        var removed = previous.Procedures.Where(p => next.Find(p.Id) is null).ToList();
        var rejected = next.Invalid.Where(i => i.Since == now && !previous.Invalid.Any(o => SameRejection(o, i))).ToList();
        var cleared = previous.Invalid.Where(o => !next.Invalid.Any(i => SameRejection(o, i))).ToList();
        return new CatalogReload(loaded, rejected, removed, cleared, next);
    }

    private static InvalidProcedure Invalid(string file, IReadOnlyList<ProcedureError> errors, string? id, string hash,
        Procedure? kept, CatalogSnapshot previous, DateTimeOffset now)
    {
        var entry = new InvalidProcedure(file, errors) { Id = id, VersionHash = hash, KeptVersion = kept, Since = now };
        // The same content rejected for the same reasons keeps the time it was first seen.
        var before = previous.Invalid.FirstOrDefault(o => SameRejection(o, entry));
        return before is null ? entry : entry with { Since = before.Since };
    }

    private static bool SameRejection(InvalidProcedure a, InvalidProcedure b) =>
        a.File == b.File && a.VersionHash == b.VersionHash && a.KeptVersion?.VersionHash == b.KeptVersion?.VersionHash
        && a.Errors.Select(e => e.ToString()).SequenceEqual(b.Errors.Select(e => e.ToString()), StringComparer.Ordinal);

    private static (string File, ProcedureLoadResult Result, string Hash) LoadOne(string file, ProcedureLoaderOptions options)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (file, ProcedureLoadResult.Failure(file, [new ProcedureError(file, 0, 0, "", $"cannot read the file: {ex.Message}")]), "");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        try
        {
            return (file, ProcedureLoader.Parse(content, file, options), hash);
        }
        catch (Exception ex)
        {
            // A loader bug must cost one procedure, not the whole catalog.
            return (file, ProcedureLoadResult.Failure(file, [new ProcedureError(file, 0, 0, "", $"could not be loaded: {ex.Message}")]), hash);
        }
    }
}
