using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy;

/// <summary>The simulated OpenShift 3.11 and 4.2/4.3 clusters (addresses from TEST-NET-1, RFC 5737).</summary>
public static class LegacyClusterCatalog
{
    public const string Ocp311ClusterName = "lab-ocp311";
    public const string Ocp42ClusterName = "lab-ocp42";

    /// <summary>Host roles of 3.11 hosts that are neither masters nor nodes.</summary>
    public const string EtcdRole = "etcd";
    public const string LoadBalancerRole = "lb";

    /// <summary>
    /// Three masters with etcd co-located, one separate etcd host, a haproxy load balancer and two nodes: the layout of
    /// the 3.11 document's examples (a four-member etcd cluster, masters behind haproxy's mgmt8443 backend).
    /// </summary>
    public static ClusterInfo Ocp311() => new()
    {
        Name = Ocp311ClusterName,
        Product = "openshift",
        Version = "3.11.157",
        IsSimulated = true,
        Hosts =
        [
            new HostInfo("master-0", "192.0.2.110", [HostRoles.ControlPlane, EtcdRole]),
            new HostInfo("master-1", "192.0.2.111", [HostRoles.ControlPlane, EtcdRole]),
            new HostInfo("master-2", "192.0.2.112", [HostRoles.ControlPlane, EtcdRole]),
            new HostInfo("etcd-0", "192.0.2.115", [EtcdRole]),
            new HostInfo("lb-0", "192.0.2.119", [LoadBalancerRole]),
            new HostInfo("node-0", "192.0.2.120", [HostRoles.Worker]),
            new HostInfo("node-1", "192.0.2.121", [HostRoles.Worker]),
        ],
        Facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["platform"] = "UPI",
            ["networkType"] = "redhat/openshift-ovs-subnet",
            ["flannel"] = "true",
            ["loadBalancer"] = "haproxy",
        },
    };

    /// <summary>An OpenShift 4.3 cluster of the etcd-member era: three masters, two workers.</summary>
    public static ClusterInfo Ocp42() => new()
    {
        Name = Ocp42ClusterName,
        Product = "openshift",
        Version = "4.3.40",
        IsSimulated = true,
        Hosts =
        [
            new HostInfo("master-0", "192.0.2.130", [HostRoles.ControlPlane]),
            new HostInfo("master-1", "192.0.2.131", [HostRoles.ControlPlane]),
            new HostInfo("master-2", "192.0.2.132", [HostRoles.ControlPlane]),
            new HostInfo("worker-0", "192.0.2.140", [HostRoles.Worker]),
            new HostInfo("worker-1", "192.0.2.141", [HostRoles.Worker]),
        ],
        Facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["platform"] = "UPI",
            ["networkType"] = "OpenShiftSDN",
            ["clusterDomain"] = "lab-ocp42.lab.example",
        },
    };
}
