using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>The lab's cluster (its API, its facts) with real SSH to 127.0.0.1 for every host.</summary>
public sealed class LabOverSsh(LabClusterRegistry lab, IHostTransport ssh) : IClusterRegistry
{
    public IReadOnlyList<ClusterInfo> List() => lab.List().Select(Local).ToList();

    public ClusterConnection? Find(string name) =>
        lab.Find(name) is { } c ? new ClusterConnection(Local(c.Info), ssh, c.Api) : null;

    private static ClusterInfo Local(ClusterInfo info) =>
        info with { Hosts = info.Hosts.Select(h => h with { Address = "127.0.0.1" }).ToList() };
}
