using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.AuditTrail;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Runs;

/// <summary>
/// Runs as whole aggregates. Every call uses its own short-lived context: callers hold a per-run lock, so two
/// saves of one run never overlap, while different runs save concurrently (SQLite serialises the writes). Every inserted
/// or changed row is chained as a fact in the same transaction (<see cref="AuditLog.SaveWithFactsAsync"/>).
/// </summary>
public sealed class RunRepository(IDbContextFactory<AuditDbContext> contexts, AuditLog audit) : IRunRepository
{
    private static readonly RunStatus[] ActiveStatuses =
        [RunStatus.Pending, RunStatus.Running, RunStatus.WaitingForApproval, RunStatus.WaitingForOperator];

    public async Task AddAsync(Run run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        context.Runs.Add(run); // the run and its children; generated ids are set back on the objects
        await audit.SaveWithFactsAsync(context, cancellationToken); // rows and their chained facts in one transaction
    }

    /// <summary>
    /// Writes the aggregate: the run's changed columns, new step executions and approvals (Id 0: inserted, the
    /// generated Id set back on the object) and the changed columns of existing ones. The stored state is read
    /// first and used as the original values, so rows and columns that did not change are not written.
    /// </summary>
    public async Task SaveAsync(Run run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await WithChildren(context.Runs.AsNoTracking())
            .SingleOrDefaultAsync(r => r.Id == run.Id, cancellationToken);
        if (stored is null)
        {
            context.Runs.Add(run);
        }
        else
        {
            // Attach: children with Id 0 become Added, the rest Unchanged; then the stored values become the
            // originals, and change detection in SaveChanges marks exactly the columns that differ.
            context.Attach(run);
            context.Entry(run).OriginalValues.SetValues(stored);
            var storedSteps = stored.Steps.ToDictionary(s => s.Id);
            foreach (var step in run.Steps.Where(s => s.Id != 0))
            {
                if (storedSteps.TryGetValue(step.Id, out var original))
                    context.Entry(step).OriginalValues.SetValues(original);
                else
                    context.Entry(step).State = EntityState.Modified; // not in this run's stored rows: write it whole
            }
            var storedApprovals = stored.Approvals.ToDictionary(a => a.Id);
            foreach (var approval in run.Approvals.Where(a => a.Id != 0))
            {
                if (storedApprovals.TryGetValue(approval.Id, out var original))
                    context.Entry(approval).OriginalValues.SetValues(original);
                else
                    context.Entry(approval).State = EntityState.Modified;
            }
        }
        await audit.SaveWithFactsAsync(context, cancellationToken); // rows and their chained facts in one transaction
    }

    public async Task<Run?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await WithChildren(context.Runs.AsNoTracking()).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>
    /// Filters in SQL. Cluster, User and Status match exactly; Procedure matches the procedure id exactly or its
    /// title as a case-insensitive substring; Text is a case-insensitive substring of title, procedure id, cluster
    /// or user. From is inclusive and To exclusive, on CreatedAt. Newest first.
    /// </summary>
    public async Task<IReadOnlyList<Run>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Take <= 0) return [];
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<Run> runs = context.Runs.AsNoTracking();

        if (!string.IsNullOrWhiteSpace(query.Cluster))
        {
            var cluster = query.Cluster.Trim();
            runs = runs.Where(r => r.ClusterName == cluster);
        }
        if (!string.IsNullOrWhiteSpace(query.Procedure))
        {
            var procedure = query.Procedure.Trim();
            var pattern = Like.Containing(procedure);
            runs = runs.Where(r => r.ProcedureId == procedure || EF.Functions.Like(r.ProcedureTitle, pattern, Like.Escape));
        }
        if (!string.IsNullOrWhiteSpace(query.User))
        {
            var user = query.User.Trim();
            runs = runs.Where(r => r.StartedBy == user);
        }
        if (query.AwaitingBreakGlassReview)
            runs = runs.Where(r => r.Approvals.Any(a => a.BreakGlass && a.ReviewedBy == null));
        if (query.RetryOf is { } previous)
            runs = runs.Where(r => r.PreviousRunId == previous);
        if (query.Status is { } status)
            runs = runs.Where(r => r.Status == status);
        if (query.From is { } from)
            runs = runs.Where(r => r.CreatedAt >= from);
        if (query.To is { } to)
            runs = runs.Where(r => r.CreatedAt < to);
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var pattern = Like.Containing(query.Text.Trim());
            runs = runs.Where(r =>
                EF.Functions.Like(r.ProcedureTitle, pattern, Like.Escape) ||
                EF.Functions.Like(r.ProcedureId, pattern, Like.Escape) ||
                EF.Functions.Like(r.ClusterName, pattern, Like.Escape) ||
                EF.Functions.Like(r.StartedBy, pattern, Like.Escape));
        }

        var page = runs
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(Math.Max(0, query.Skip)).Take(query.Take);
        return await WithChildren(page).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await WithChildren(context.Runs.AsNoTracking())
            .Where(r => ActiveStatuses.Contains(r.Status))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Steps by Order, approvals by Id; split queries, so steps x approvals rows are never multiplied.</summary>
    private static IQueryable<Run> WithChildren(IQueryable<Run> runs) =>
        runs.Include(r => r.Steps.OrderBy(s => s.Order).ThenBy(s => s.Id))
            .Include(r => r.Approvals.OrderBy(a => a.Id))
            .AsSplitQuery();

    private static class Like
    {
        public const string Escape = "\\";

        public static string Containing(string text) =>
            "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
    }
}
