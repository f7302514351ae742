using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Transports.Kubernetes;

namespace RecoveryConsole.Clusters.Connections;

/// <summary>
/// Serves each lab cluster's API over HTTPS on 127.0.0.1 and connects to it with the console's real Kubernetes
/// client, so a drill runs the same client code as a real recovery (TLS, client certificates, error handling).
/// </summary>
public sealed class LabEndpoints(LabClusterRegistry lab, ILogger<LabEndpoints> logger) : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, (LabApiServer Server, KubernetesClient Client)> _endpoints = new(StringComparer.Ordinal);

    public ClusterConnection? Connection(string name)
    {
        var simulated = lab.Find(name);
        if (simulated is null) return null;
        lock (_endpoints)
            return _endpoints.TryGetValue(name, out var e) ? simulated with { Api = e.Client } : simulated;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var info in lab.List())
        {
            var cluster = lab.FindLab(info.Name)!;
            var server = await LabApiServer.StartAsync(cluster, cancellationToken: cancellationToken);
            var client = KubernetesClient.FromKubeconfigText(server.CreateKubeconfig());
            lock (_endpoints) _endpoints[info.Name] = (server, client);
            logger.LogInformation("Lab cluster {Cluster}: API served at {Server}", info.Name, client.Server);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        List<(LabApiServer Server, KubernetesClient Client)> all;
        lock (_endpoints) { all = [.. _endpoints.Values]; _endpoints.Clear(); }
        foreach (var (server, client) in all)
        {
            client.Dispose();
            await server.DisposeAsync();
        }
    }
}
