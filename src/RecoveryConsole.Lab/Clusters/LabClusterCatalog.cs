using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Clusters;

/// <summary>The definitions of the simulated clusters the console ships with.</summary>
public static class LabClusterCatalog
{
    /// <summary>The whole estate a drill console offers: OCP 4.x, 4.2/4.3, 3.11 and hosted control planes.</summary>
    public static IReadOnlyList<ClusterInfo> Estate() =>
        [DemoOpenShift(), Legacy.LegacyClusterCatalog.Ocp42(), Legacy.LegacyClusterCatalog.Ocp311(), .. HostedControlPlanes()];

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
            ["apiVip"] = "192.0.2.5",
            ["ingressVip"] = "192.0.2.6",
            ["networkType"] = "OVNKubernetes",
            ["platform"] = "IPI",
            ["proxy"] = "false",
            ["availabilityPolicy"] = "HighlyAvailable",
        },
    };

    /// <summary>
    /// Hosted control planes: the management clusters lab-mgmt-a (source, hosts hosted-1) and lab-mgmt-b
    /// (destination), and the hosted cluster's own API (lab-hosted-1). They share an S3 bucket and a Route53 zone
    /// (<see cref="Hosted.HostedEstate"/>) when they are in one registry.
    /// </summary>
    public static IReadOnlyList<ClusterInfo> HostedControlPlanes() =>
    [
        Management(Hosted.HostedEstate.SourceName, 40),
        Management(Hosted.HostedEstate.DestinationName, 50),
        new()
        {
            Name = Hosted.HostedEstate.HostedName,
            Product = Hosted.HostedGuestCluster.ProductName,
            Version = "4.16.12",
            IsSimulated = true,
            Hosts =
            [
                new HostInfo(Hosted.HostedGuestCluster.NodeName(0), "192.0.2.60", [HostRoles.Worker]),
                new HostInfo(Hosted.HostedGuestCluster.NodeName(1), "192.0.2.61", [HostRoles.Worker]),
            ],
            Facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["hostedControlPlane"] = "true", ["networkType"] = "OVNKubernetes" },
        },
    ];

    private static ClusterInfo Management(string name, int firstAddress) => new()
    {
        Name = name,
        Product = Hosted.HostedManagementCluster.ProductName,
        Version = "4.16.12",
        IsSimulated = true,
        Hosts =
        [
            new HostInfo($"{name}-master-0", $"192.0.2.{firstAddress}", [HostRoles.ControlPlane]),
            new HostInfo($"{name}-master-1", $"192.0.2.{firstAddress + 1}", [HostRoles.ControlPlane]),
            new HostInfo($"{name}-master-2", $"192.0.2.{firstAddress + 2}", [HostRoles.ControlPlane]),
        ],
        Facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["managementCluster"] = "true", ["platform"] = "AWS" },
    };
}
