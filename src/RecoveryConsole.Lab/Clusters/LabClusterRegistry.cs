using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Lab.Clusters;

/// <summary>The simulated clusters. Each is built once and keeps its state for the life of the process.</summary>
public sealed class LabClusterRegistry : IClusterRegistry
{
    private readonly Dictionary<string, LabCluster> _clusters;

    public LabClusterRegistry(LabOptions options, TimeProvider time)
        : this(options, time, [LabClusterCatalog.DemoOpenShift()])
    {
    }

    public LabClusterRegistry(LabOptions options, TimeProvider time, IEnumerable<ClusterInfo> clusters)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        _clusters = clusters
            .Select(c => new LabCluster(c with { IsSimulated = true }, options, time))
            .ToDictionary(c => c.Info.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ClusterInfo> List() => _clusters.Values.Select(c => c.Info).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public ClusterConnection? Find(string name) => _clusters.GetValueOrDefault(name)?.Connection;

    /// <summary>The simulation behind a cluster, for scenarios and the lab's own pages.</summary>
    public LabCluster? FindLab(string name) => _clusters.GetValueOrDefault(name);
}
