using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Transports.Kubernetes;

namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>
/// The lab's clusters with one of them reached as the console reaches it: its API served over HTTPS on 127.0.0.1 and
/// called with the real Kubernetes client (exec over WebSocket, copy as tar), not the in-process lab API.
/// </summary>
internal sealed class HttpsLabRegistry(LabClusterRegistry lab, string cluster, LabApiServer server, KubernetesClient client) : IClusterRegistry, IAsyncDisposable
{
    public static async Task<HttpsLabRegistry> StartAsync(LabClusterRegistry lab, string cluster)
    {
        var server = await LabApiServer.StartAsync(lab.FindLab(cluster) ?? throw new ArgumentException($"no lab cluster {cluster}"));
        return new HttpsLabRegistry(lab, cluster, server, KubernetesClient.FromKubeconfigText(server.CreateKubeconfig()));
    }

    public IReadOnlyList<ClusterInfo> List() => lab.List();

    public ClusterConnection? Find(string name) =>
        name == cluster && lab.Find(name) is { } simulated ? simulated with { Api = client } : lab.Find(name);

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }
}
