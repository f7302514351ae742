using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.Entities;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Audit.Clusters;

/// <summary>Registered real clusters, kept as JSON in the Clusters table (the shape evolves faster than a schema should).</summary>
public sealed class ClusterDefinitionStore(IDbContextFactory<AuditDbContext> contexts, TimeProvider clock) : IClusterDefinitions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ClusterDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var records = await context.Clusters.AsNoTracking().Where(c => c.Kind == ClusterKinds.Real).OrderBy(c => c.Name).ToListAsync(cancellationToken);
        return records.Select(Read).ToList();
    }

    public async Task<ClusterDefinition?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await context.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name && c.Kind == ClusterKinds.Real, cancellationToken);
        return record is null ? null : Read(record);
    }

    public async Task SaveAsync(ClusterDefinition cluster, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster.Name);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await context.Clusters.SingleOrDefaultAsync(c => c.Name == cluster.Name, cancellationToken);
        if (record is { Kind: not ClusterKinds.Real })
            throw new InvalidOperationException($"'{cluster.Name}' is the name of a simulated cluster.");
        if (record is null)
        {
            record = new ClusterRecord { Name = cluster.Name, Kind = ClusterKinds.Real, RegisteredAt = clock.GetUtcNow() };
            context.Clusters.Add(record);
        }
        record.Product = cluster.Product;
        record.Version = cluster.Version;
        record.ConnectionProfile = cluster.Ssh.User + "@" + cluster.Name;
        record.DefinitionJson = JsonSerializer.Serialize(cluster, Json);
        await context.SaveChangesAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        return await context.Clusters.Where(c => c.Name == name && c.Kind == ClusterKinds.Real).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    private static ClusterDefinition Read(ClusterRecord record) =>
        JsonSerializer.Deserialize<ClusterDefinition>(record.DefinitionJson, Json)
        ?? throw new InvalidDataException($"Cluster {record.Name} has an empty definition.");
}
