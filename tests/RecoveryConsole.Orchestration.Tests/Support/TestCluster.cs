using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>A registry with one cluster of three control-plane hosts and a worker, reached through the given transports.</summary>
public sealed class TestCluster(IHostTransport hosts, IKubernetesApi api, bool simulated = false, IReadOnlyDictionary<string, string>? facts = null)
    : IClusterRegistry
{
    public const string Name = "test-cluster";

    public ClusterInfo Info { get; } = new()
    {
        Name = Name,
        Version = "4.16.12",
        IsSimulated = simulated,
        Hosts =
        [
            new HostInfo("m0", "127.0.0.1", [HostRoles.ControlPlane]),
            new HostInfo("m1", "127.0.0.1", [HostRoles.ControlPlane]),
            new HostInfo("m2", "127.0.0.1", [HostRoles.ControlPlane]),
            new HostInfo("w0", "127.0.0.1", [HostRoles.Worker]),
        ],
        Facts = facts ?? new Dictionary<string, string> { ["keepalived"] = "true", ["proxy"] = "false", ["networkType"] = "OVNKubernetes" },
    };

    public IReadOnlyList<ClusterInfo> List() => [Info];

    public ClusterConnection? Find(string name) => name == Name ? new ClusterConnection(Info, hosts, api) : null;
}

/// <summary>An API that answers nothing: for procedures without API steps.</summary>
public sealed class NoApi : IKubernetesApi
{
    public Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken) =>
        throw new ApiUnreachableException("https://api.test-cluster:6443", "no API in this test");
}
