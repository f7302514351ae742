using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Lab.Clusters;

/// <summary>The simulated clusters. Each is built once and keeps its state for the life of the process.</summary>
public sealed class LabClusterRegistry : IClusterRegistry
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LabCluster> _clusters;
    private readonly LabOptions _options;
    private readonly TimeProvider _time;

    public LabClusterRegistry(LabOptions options, TimeProvider time)
        : this(options, time, [LabClusterCatalog.DemoOpenShift()])
    {
    }

    public LabClusterRegistry(LabOptions options, TimeProvider time, IEnumerable<ClusterInfo> clusters)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        _options = options;
        _time = time;
        _clusters = new(clusters
            .Select(c => new LabCluster(c with { IsSimulated = true }, options, time))
            .ToDictionary(c => c.Info.Name, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>Builds and registers another simulated cluster (a drill of its own); the name must be new.</summary>
    public LabCluster Add(ClusterInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var cluster = new LabCluster(info with { IsSimulated = true }, _options, _time);
        if (!_clusters.TryAdd(cluster.Info.Name, cluster)) throw new ArgumentException($"A lab cluster named {info.Name} exists already.", nameof(info));
        return cluster;
    }

    /// <summary>Forgets a simulated cluster (a finished drill); false when there was none of that name.</summary>
    public bool Remove(string name) => _clusters.TryRemove(name, out _);

    public IReadOnlyList<ClusterInfo> List() => _clusters.Values.Select(c => c.Info).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public ClusterConnection? Find(string name) => _clusters.GetValueOrDefault(name)?.Connection;

    /// <summary>The simulation behind a cluster, for scenarios and the lab's own pages.</summary>
    public LabCluster? FindLab(string name) => _clusters.GetValueOrDefault(name);
}
