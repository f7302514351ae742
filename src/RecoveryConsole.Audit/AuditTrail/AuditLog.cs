using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Audit.AuditTrail;

/// <summary>
/// The hash-chained audit log. Appends are serialised (one instance per process, registered as a singleton),
/// and each one reads the last hash and inserts in one transaction, so the chain never forks.
/// </summary>
public sealed class AuditLog(IDbContextFactory<AuditDbContext> contexts) : IAuditLog, IDisposable
{
    private readonly SemaphoreSlim _append = new(1, 1);

    public async Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        await _append.WaitAsync(cancellationToken);
        try
        {
            await using var context = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            var previous = await context.AuditEvents
                .OrderByDescending(e => e.Id)
                .Select(e => e.Hash)
                .FirstOrDefaultAsync(cancellationToken) ?? AuditChain.Genesis;
            AuditChain.Link(auditEvent, previous);
            context.AuditEvents.Add(auditEvent);
            await context.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _append.Release();
        }
    }

    /// <summary>Entries in append order; all of them when <paramref name="runId"/> is null.</summary>
    public async Task<IReadOnlyList<AuditEvent>> ListAsync(Guid? runId, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<AuditEvent> events = context.AuditEvents.AsNoTracking();
        if (runId is { } id)
            events = events.Where(e => e.RunId == id);
        return await events.OrderBy(e => e.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Walks the whole log in Id order. An entry is broken when its PreviousHash is not the hash of the entry before
    /// it (an entry was removed or reordered) or its Hash is not the hash of its own content (it was edited).
    /// Removing the newest entries leaves a valid, shorter chain: that needs an outside anchor (e.g. the last hash
    /// written elsewhere) and is not detected here.
    /// </summary>
    public async Task<long?> FindFirstBrokenAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var previous = AuditChain.Genesis;
        await foreach (var entry in context.AuditEvents.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable()
                           .WithCancellation(cancellationToken))
        {
            if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal) ||
                !string.Equals(AuditChain.HashOf(entry, previous), entry.Hash, StringComparison.Ordinal))
                return entry.Id;
            previous = entry.Hash;
        }
        return null;
    }

    public void Dispose() => _append.Dispose();
}
