using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Audit.Runs;

/// <summary>The newest step execution per host that ended with an exit code, on runs of the cluster.</summary>
public sealed class HostContactQuery(IDbContextFactory<AuditDbContext> contexts) : IHostContacts
{
    public async Task<IReadOnlyDictionary<string, HostContact>> LastAnsweredAsync(string cluster, IReadOnlyCollection<string> hosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0) return new Dictionary<string, HostContact>();
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var names = hosts.ToList();
        var answered =
            from s in context.StepExecutions.AsNoTracking()
            join r in context.Runs.AsNoTracking() on s.RunId equals r.Id
            where r.ClusterName == cluster && names.Contains(s.Host) && s.ExitCode != null && s.EndedAt != null
            select new { s.Host, s.EndedAt, s.RunId, s.Title };
        var newestAt = await answered.GroupBy(a => a.Host)
            .Select(g => new { Host = g.Key, At = g.Max(a => a.EndedAt) })
            .ToListAsync(cancellationToken);
        var times = newestAt.Select(n => n.At).ToList();
        var newest = await answered.Where(a => times.Contains(a.EndedAt)).ToListAsync(cancellationToken);
        var result = new Dictionary<string, HostContact>(StringComparer.Ordinal);
        foreach (var a in newest)
            if (!result.TryGetValue(a.Host, out var seen) || seen.At < a.EndedAt!.Value)
                result[a.Host] = new HostContact(a.Host, a.EndedAt!.Value, a.RunId, a.Title);
        return result;
    }
}
