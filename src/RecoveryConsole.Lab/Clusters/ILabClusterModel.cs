using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Ocp4;

namespace RecoveryConsole.Lab.Clusters;

/// <summary>
/// A simulation of a product generation behind a <see cref="LabCluster"/> (its hosts' programs, its API's controllers,
/// its health). OpenShift 4.12+ is <see cref="Ocp4Cluster"/>; 4.2/4.3, 3.11 and hosted control planes get their own.
/// </summary>
public interface ILabClusterModel
{
    /// <summary>The model's name, which scenarios name in <c>model:</c> ("ocp4").</summary>
    string Kind { get; }

    /// <summary>The health model: problems judged from the simulation's own state.</summary>
    LabHealthReport Diagnose();

    /// <summary>Lets go of the cluster's hosts and API (before a reset builds a fresh model).</summary>
    void Detach();
}

/// <summary>Which model simulates which cluster; the first factory that accepts a cluster builds its model.</summary>
public static class LabClusterModels
{
    private static readonly Func<LabCluster, LabOptions, ILabClusterModel?>[] Factories =
    [
        (cluster, options) => cluster.Info.Product == "openshift" && Ocp4Release.IsModelled(cluster.Info.Version) ? Ocp4Cluster.Attach(cluster, options) : null,
        (cluster, options) => Legacy.Ocp311.Ocp311Cluster.Accepts(cluster) ? Legacy.Ocp311.Ocp311Cluster.Attach(cluster, options) : null,
        (cluster, options) => Legacy.Ocp42.Ocp42Cluster.Accepts(cluster) ? Legacy.Ocp42.Ocp42Cluster.Attach(cluster, options) : null,
        (cluster, options) => Hosted.HostedManagementCluster.Attach(cluster, options),
        (cluster, options) => Hosted.HostedGuestCluster.Attach(cluster, options),
        // Next: OpenShift 4.2/4.3 (etcd-member), 3.11 (master hosts), hosted control planes.
    ];

    /// <summary>Builds and attaches the model for <paramref name="cluster"/>; null when the lab does not simulate that product yet.</summary>
    public static ILabClusterModel? Attach(LabCluster cluster, LabOptions options)
    {
        foreach (var factory in Factories)
        {
            if (factory(cluster, options) is { } model) return model;
        }
        return null;
    }
}
