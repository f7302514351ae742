using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.Entities;

namespace RecoveryConsole.Audit.Clusters;

/// <summary>The durable list of registered clusters.</summary>
public interface IClusterRecords
{
    /// <summary>Inserts or updates by Name. An update keeps the first RegisteredAt.</summary>
    Task UpsertAsync(ClusterRecord cluster, CancellationToken cancellationToken);
    Task<ClusterRecord?> FindAsync(string name, CancellationToken cancellationToken);
    /// <summary>All clusters by name.</summary>
    Task<IReadOnlyList<ClusterRecord>> ListAsync(CancellationToken cancellationToken);
}

public sealed class ClusterRecordStore(IDbContextFactory<AuditDbContext> contexts) : IClusterRecords
{
    public async Task UpsertAsync(ClusterRecord cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster.Name);
        if (!ClusterKinds.IsKnown(cluster.Kind))
            throw new ArgumentException($"Cluster kind '{cluster.Kind}' is neither '{ClusterKinds.Simulated}' nor '{ClusterKinds.Real}'.", nameof(cluster));

        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await context.Clusters.SingleOrDefaultAsync(c => c.Name == cluster.Name, cancellationToken);
        if (existing is null)
        {
            context.Clusters.Add(new ClusterRecord
            {
                Name = cluster.Name,
                Kind = cluster.Kind,
                Product = cluster.Product,
                Version = cluster.Version,
                ConnectionProfile = cluster.ConnectionProfile,
                RegisteredAt = cluster.RegisteredAt,
            });
        }
        else
        {
            existing.Kind = cluster.Kind;
            existing.Product = cluster.Product;
            existing.Version = cluster.Version;
            existing.ConnectionProfile = cluster.ConnectionProfile;
        }
        await context.SaveChangesAsync(cancellationToken);
    }

    public async Task<ClusterRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
    }

    public async Task<IReadOnlyList<ClusterRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.Clusters.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
    }
}
