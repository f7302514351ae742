using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Clusters;

/// <summary>
/// What the console knows about a cluster: its hosts and the facts that decide which steps apply
/// (keepalived, networkType, platform, proxy, availabilityPolicy ...). Facts are strings; "true"/"false" for flags.
/// </summary>
public sealed record ClusterInfo
{
    public required string Name { get; init; }
    public string Product { get; init; } = "openshift";
    public string Version { get; init; } = "";
    /// <summary>Simulated clusters are labelled everywhere and their runs are drills.</summary>
    public bool IsSimulated { get; init; }
    public IReadOnlyList<HostInfo> Hosts { get; init; } = [];
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();

    public IEnumerable<HostInfo> ControlPlaneHosts => Hosts.Where(h => h.IsControlPlane);
    public HostInfo? FindHost(string name) => Hosts.FirstOrDefault(h => h.Name == name);
}

/// <summary>A cluster together with the ways to reach it.</summary>
public sealed record ClusterConnection(ClusterInfo Info, IHostTransport Hosts, IKubernetesApi Api)
{
    /// <summary>The clock a run's waits and polls use against this cluster; null: the console's. A lab cluster runs on its time scale.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The cloud credential registered for the cluster (S3 and Route53 steps); null: none.</summary>
    public CloudAccount? Cloud { get; init; }
}

/// <summary>The clusters the console can act on. Only the registry knows whether one is simulated.</summary>
public interface IClusterRegistry
{
    IReadOnlyList<ClusterInfo> List();
    ClusterConnection? Find(string name);
}
