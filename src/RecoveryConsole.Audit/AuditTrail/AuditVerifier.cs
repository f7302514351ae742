using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Audit.AuditTrail;

/// <summary>
/// Verifies, in one read snapshot of the database: every entry's link and keyed hash (plain SHA-256 before the keyed
/// boundary), the anchor file against the entries (truncation, re-chaining, a deleted entry), and the run, step and
/// approval rows against the last fact chained for each. Findings name the entry, sequence or row.
/// </summary>
internal static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(AuditDbContext context, byte[] key, IReadOnlyList<AuditHead> anchored,
        string? anchorProblem, AuditAnchor anchor, CancellationToken cancellationToken)
    {
        var findings = new List<string>();
        var connection = (SqliteConnection)context.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        // Deferred: a read snapshot that does not take the write lock, so appends go on meanwhile.
        await using var snapshot = connection.BeginTransaction(deferred: true);
        await context.Database.UseTransactionAsync(snapshot, cancellationToken);

        var hashes = new Dictionary<long, string>();
        var lastFacts = new Dictionary<string, (long EntryId, JsonObject Row)>(StringComparer.Ordinal);
        long? firstBroken = null;
        var keyed = !await context.AuditEvents.AnyAsync(e => e.Kind == ChainedFactKinds.ChainKeyed, cancellationToken);
        var legacyRows = !keyed;
        var previous = AuditChain.Genesis;
        AuditHead? head = null;
        await foreach (var entry in context.AuditEvents.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!keyed && entry.Kind == ChainedFactKinds.ChainKeyed) keyed = true; // the boundary itself is keyed
            var expected = keyed ? AuditChain.MacOf(entry, previous, key) : AuditChain.HashOf(entry, previous);
            if (firstBroken is null &&
                (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal) || !string.Equals(expected, entry.Hash, StringComparison.Ordinal)))
            {
                firstBroken = entry.Id;
                findings.Add($"entry {entry.Id} ({entry.Kind} by {entry.Actor}, {Time(entry.Time)}) does not match its keyed hash: it was edited, inserted or re-chained without the console's key");
            }
            if (entry.Kind == ChainedFactKinds.Fact && ChainedFacts.Parse(entry.Detail) is { } fact)
                lastFacts[fact.Key] = (entry.Id, fact.Row);
            hashes[entry.Id] = entry.Hash;
            previous = entry.Hash;
            head = new AuditHead(entry.Id, entry.Hash);
        }

        // The very first append may have committed after the anchor was read and before the snapshot: read it again.
        if (anchored.Count == 0 && head is not null) (anchored, anchorProblem) = await anchor.ReadAsync(cancellationToken);
        CheckAnchor(findings, hashes, head, firstBroken, anchored, anchorProblem, anchor);
        await CheckRowsAsync(findings, context, lastFacts, legacyRows, cancellationToken);
        return new AuditVerification(hashes.Count, head, anchored.Count == 0 ? null : anchored[^1], firstBroken, findings);
    }

    private static void CheckAnchor(List<string> findings, Dictionary<long, string> hashes, AuditHead? head, long? firstBroken,
        IReadOnlyList<AuditHead> anchored, string? anchorProblem, AuditAnchor anchor)
    {
        if (anchorProblem is not null) findings.Add(anchorProblem);
        if (anchored.Count == 0)
        {
            if (head is not null) findings.Add($"the outside anchor {anchor.Path} is missing or empty: deleting the newest entries cannot be ruled out");
            return;
        }
        // A sequence anchored twice means the console appended again after the newest entries had been deleted.
        long reached = 0;
        var latest = new Dictionary<long, string>();
        foreach (var h in anchored)
        {
            if (h.Sequence <= reached)
                findings.Add($"truncated after seq {h.Sequence - 1}: the entries up to seq {reached} were anchored, deleted from the database, and the chain continued from seq {h.Sequence}");
            reached = Math.Max(reached, h.Sequence);
            latest[h.Sequence] = h.Hash;
        }
        var last = head?.Sequence ?? 0;
        foreach (var (seq, hash) in latest.OrderBy(p => p.Key))
        {
            if (!hashes.TryGetValue(seq, out var stored))
            {
                findings.Add(seq > last
                    ? $"truncated after seq {last}: the anchor records the chain up to seq {reached}, the database ends at seq {last}"
                    : Deleted(seq, hashes.Keys, firstBroken));
                return;
            }
            if (!string.Equals(stored, hash, StringComparison.Ordinal))
            {
                findings.Add($"re-chained at seq {seq}: the database's entry {seq} has hash {stored[..16]}…, the anchor recorded {hash[..16]}…");
                return;
            }
        }
    }

    /// <summary>
    /// An anchored entry missing below the head. If the entry after the gap still links to the one before it, the gap was
    /// the newest part of the chain when it was deleted, and the console appended after it: that is a truncation.
    /// </summary>
    private static string Deleted(long seq, IEnumerable<long> stored, long? firstBroken)
    {
        var before = stored.Where(id => id < seq).DefaultIfEmpty(0).Max();
        var after = stored.Where(id => id > seq).Min();
        return firstBroken == after
            ? $"entries {before + 1} to {after - 1} were deleted: the anchor records them, the database does not have them"
            : $"truncated after seq {before}: entries {before + 1} to {after - 1} were deleted while they were the newest (the anchor records them), and the chain continued at seq {after}";
    }

    private static async Task CheckRowsAsync(List<string> findings, AuditDbContext context,
        Dictionary<string, (long EntryId, JsonObject Row)> lastFacts, bool legacyRows, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Check(object entity)
        {
            var entry = context.Entry(entity);
            var row = ChainedFacts.Row(entry);
            var name = ChainedFacts.EntityName(entity)!;
            var key = ChainedFacts.Key(name, row["Id"]?.ToString() ?? "");
            seen.Add(key);
            if (lastFacts.TryGetValue(key, out var fact))
            {
                var differences = ChainedFacts.Differences(row, fact.Row);
                if (differences.Length > 0)
                    findings.Add($"{Label(name, row)} differs from what the console saved (entry {fact.EntryId}): {differences}");
            }
            else if (!legacyRows)
                findings.Add($"{Label(name, row)} has no chained record: it was written outside the console");
        }
        foreach (var run in await context.Runs.AsNoTracking().ToListAsync(cancellationToken)) Check(run);
        foreach (var step in await context.StepExecutions.AsNoTracking().ToListAsync(cancellationToken)) Check(step);
        foreach (var approval in await context.Approvals.AsNoTracking().ToListAsync(cancellationToken)) Check(approval);
        foreach (var (key, fact) in lastFacts.Where(f => !seen.Contains(f.Key)))
            findings.Add($"{Label(key.Split(':')[0], fact.Row)} was deleted: entry {fact.EntryId} records it");
    }

    private static string Label(string entity, JsonObject row)
    {
        string Field(string name) => row[name]?.ToString() ?? "";
        string Run(string name) => Field(name).Length >= 8 ? Field(name)[..8] : Field(name);
        return entity switch
        {
            "approval" => $"approval {Field("Id")} (run {Run("RunId")}, step {Field("StepPath")})",
            "step" => $"step execution {Field("Id")} (run {Run("RunId")}, {Field("StepPath")}{(Field("Host").Length > 0 ? "@" + Field("Host") : "")})",
            _ => $"run {Field("Id")}",
        };
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
