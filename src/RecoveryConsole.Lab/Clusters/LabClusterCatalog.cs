using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Clusters;

/// <summary>The definitions of the simulated clusters the console ships with.</summary>
public static class LabClusterCatalog
{
    public const string DemoClusterName = "lab-ocp4";

    /// <summary>
    /// A three-master IPI cluster with two workers. Addresses are from 192.0.2.0/24 (TEST-NET-1, RFC 5737):
    /// documentation addresses that nothing ever connects to.
    /// </summary>
    public static ClusterInfo DemoOpenShift() => new()
    {
        Name = DemoClusterName,
        Product = "openshift",
        Version = "4.16.12",
        IsSimulated = true,
        Hosts =
        [
            new HostInfo("master-0", "192.0.2.10", [HostRoles.ControlPlane]),
            new HostInfo("master-1", "192.0.2.11", [HostRoles.ControlPlane]),
            new HostInfo("master-2", "192.0.2.12", [HostRoles.ControlPlane]),
            new HostInfo("worker-0", "192.0.2.20", [HostRoles.Worker]),
            new HostInfo("worker-1", "192.0.2.21", [HostRoles.Worker]),
        ],
        Facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["keepalived"] = "true",
            ["networkType"] = "OVNKubernetes",
            ["platform"] = "IPI",
            ["proxy"] = "false",
            ["availabilityPolicy"] = "HighlyAvailable",
        },
    };
}
