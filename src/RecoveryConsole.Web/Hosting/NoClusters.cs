using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Web.Hosting;

/// <summary>The registry when no cluster is configured (lab off, no real transport yet): the console still opens.</summary>
internal sealed class NoClusters : IClusterRegistry
{
    public IReadOnlyList<ClusterInfo> List() => [];
    public ClusterConnection? Find(string name) => null;
}
