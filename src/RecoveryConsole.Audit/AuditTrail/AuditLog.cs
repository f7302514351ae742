using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Audit.AuditTrail;

/// <summary>
/// The keyed, anchored audit log. Appends are serialised (one instance per process, registered as a singleton), and each
/// one reads the last hash and inserts in one transaction, so the chain never forks; after the commit the new head is
/// written to the anchor file. Run, step and approval rows are chained by <see cref="SaveWithFactsAsync"/> in the same
/// transaction as the rows themselves.
/// </summary>
public sealed class AuditLog(IDbContextFactory<AuditDbContext> contexts, AuditStoreOptions options, TimeProvider clock,
    ILogger<AuditLog>? logger = null) : IAuditLog, IDisposable
{
    private readonly SemaphoreSlim _append = new(1, 1);
    private readonly AuditAnchor _anchor = new(options.AnchorPath, options.SyslogSocket is { Length: > 0 } socket ? new SyslogWitness(socket) : null);
    private AuditChainKey? _key;

    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return AppendAllAsync([auditEvent], cancellationToken);
    }

    /// <summary>One transaction and one anchor line for all: what the hosts started together cost once, not once per host.</summary>
    public async Task AppendAllAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        if (auditEvents.Count == 0) return;
        await _append.WaitAsync(cancellationToken);
        try
        {
            var key = await ReadyKeyAsync(cancellationToken);
            await using var context = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            var head = await ChainAsync(context, auditEvents, key, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Anchor(head, clock.GetUtcNow());
        }
        finally
        {
            _append.Release();
        }
    }

    /// <summary>
    /// Saves <paramref name="context"/>'s changes and, in the same transaction, one chained fact for every run, step
    /// execution and approval it inserted or changed. A crash leaves both or neither, so a row never differs from its fact.
    /// </summary>
    public async Task SaveWithFactsAsync(AuditDbContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ChangeTracker.DetectChanges();
        var changed = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified && ChainedFacts.EntityName(e.Entity) is not null)
            .ToList();
        if (changed.Count == 0)
        {
            await context.SaveChangesAsync(cancellationToken);
            return;
        }
        await _append.WaitAsync(cancellationToken);
        try
        {
            var key = await ReadyKeyAsync(cancellationToken);
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            await context.SaveChangesAsync(cancellationToken); // generated ids first: facts name their rows
            var now = clock.GetUtcNow();
            var facts = changed.Select(ChainedFacts.Describe)
                .Select(f => new AuditEvent(now, "system", ChainedFactKinds.Fact, f.RunId, f.Detail)).ToList();
            var head = await ChainAsync(context, facts, key, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Anchor(head, now);
        }
        finally
        {
            _append.Release();
        }
    }

    /// <summary>At start-up: creates the key on a first start (and the boundary on an older log), or checks it is readable.</summary>
    public async Task PrepareKeyAsync(CancellationToken cancellationToken)
    {
        await _append.WaitAsync(cancellationToken);
        try { await ReadyKeyAsync(cancellationToken); }
        finally { _append.Release(); }
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

    public async Task<AuditHead?> HeadAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id)
            .Select(e => new AuditHead(e.Id, e.Hash)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The first entry whose links or keyed hash do not hold; truncation needs <see cref="VerifyAsync"/> (the anchor).</summary>
    public async Task<long?> FindFirstBrokenAsync(CancellationToken cancellationToken) =>
        (await VerifyAsync(cancellationToken)).FirstBrokenId;

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        AuditChainKey key;
        await _append.WaitAsync(cancellationToken);
        try { key = await ReadyKeyAsync(cancellationToken); }
        finally { _append.Release(); }
        // The anchor is read before the database: an append committed in between is then in the database but maybe
        // not yet in what was read of the anchor, never the other way round.
        var (anchored, anchorProblem) = await _anchor.ReadAsync(cancellationToken);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await AuditVerifier.VerifyAsync(context, key.Bytes, anchored, anchorProblem, _anchor, cancellationToken);
    }

    /// <summary>Links <paramref name="events"/> after the current head and saves them; returns the new head.</summary>
    private static async Task<AuditHead> ChainAsync(AuditDbContext context, IReadOnlyList<AuditEvent> events, AuditChainKey key,
        CancellationToken cancellationToken)
    {
        var previous = await context.AuditEvents
            .OrderByDescending(e => e.Id)
            .Select(e => e.Hash)
            .FirstOrDefaultAsync(cancellationToken) ?? AuditChain.Genesis;
        foreach (var e in events)
        {
            AuditChain.Link(e, previous, key.Bytes);
            context.AuditEvents.Add(e);
            previous = e.Hash;
        }
        await context.SaveChangesAsync(cancellationToken);
        return new AuditHead(events[^1].Id, events[^1].Hash);
    }

    /// <summary>
    /// Loads the key (creating it at first start). When it was just created and the log already has entries, they were
    /// chained with plain SHA-256: a boundary entry is appended, and the verifier checks everything before it by that
    /// older rule. Called under the append lock.
    /// </summary>
    private async Task<AuditChainKey> ReadyKeyAsync(CancellationToken cancellationToken)
    {
        if (_key is not null) return _key;
        var key = AuditChainKey.LoadOrCreate(options.KeysDirectory);
        if (key.CreatedNow)
        {
            await using var context = await contexts.CreateDbContextAsync(cancellationToken);
            var existing = await context.AuditEvents.CountAsync(cancellationToken);
            if (existing > 0)
            {
                await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
                var now = clock.GetUtcNow();
                var head = await ChainAsync(context, [new AuditEvent(now, "system", ChainedFactKinds.ChainKeyed, null,
                    $"The chain is keyed (HMAC-SHA256) from here; the {existing} entries before were chained with plain SHA-256.")], key, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                Anchor(head, now);
            }
        }
        _key = key;
        return key;
    }

    private void Anchor(AuditHead head, DateTimeOffset now)
    {
        if (_anchor.Append(head, now) is { } syslogProblem)
            logger?.LogWarning("The audit head seq {Sequence} was anchored in the file but not in syslog: {Problem}", head.Sequence, syslogProblem);
    }

    public void Dispose() => _append.Dispose();
}
