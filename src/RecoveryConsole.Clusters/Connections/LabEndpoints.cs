using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Cloud;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Transports.Kubernetes;

namespace RecoveryConsole.Clusters.Connections;

/// <summary>
/// Serves each lab cluster's API over HTTPS on 127.0.0.1 and connects to it with the console's real Kubernetes
/// client, so a drill runs the same client code as a real recovery (TLS, client certificates, error handling).
/// The hosted estate's AWS account (S3 and Route53, SigV4-verifying) is served too, once per estate, and given to its
/// management clusters as their cloud credential; its secret is learnt by the redactor first.
/// </summary>
public sealed class LabEndpoints(LabClusterRegistry lab, ILogger<LabEndpoints> logger, Redactor? redactor = null) : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, (LabApiServer Server, KubernetesClient Client)> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CloudAccount> _clouds = new(StringComparer.Ordinal);
    private readonly List<LabCloudEndpoint> _cloudEndpoints = [];

    public ClusterConnection? Connection(string name)
    {
        var simulated = lab.Find(name);
        if (simulated is null) return null;
        lock (_endpoints)
        {
            var connection = _endpoints.TryGetValue(name, out var e) ? simulated with { Api = e.Client } : simulated;
            return _clouds.TryGetValue(name, out var cloud) ? connection with { Cloud = cloud } : connection;
        }
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
            if (info.Product == "hypershift-management") await ServeCloudAsync(cluster, cancellationToken);
        }
    }

    private async Task ServeCloudAsync(LabCluster cluster, CancellationToken cancellationToken)
    {
        var estate = HostedEstate.Of(cluster);
        LabCloudEndpoint? endpoint;
        lock (_endpoints) endpoint = _cloudEndpoints.FirstOrDefault(e => e.Estate == estate);
        if (endpoint is null)
        {
            redactor?.AddSecret(estate.Credentials.SecretAccessKey);
            endpoint = await LabCloudEndpoint.StartAsync(estate, cancellationToken);
            lock (_endpoints) _cloudEndpoints.Add(endpoint);
            logger.LogInformation("Lab AWS account (hosted estate): S3 and Route53 served at {Endpoint}", endpoint.Address);
        }
        var account = new CloudAccount(estate.Credentials.AccessKeyId, estate.Credentials.SecretAccessKey, LabCloudCredentials.Region, endpoint.Address, estate.Route53.Id);
        lock (_endpoints) _clouds[cluster.Info.Name] = account;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        List<(LabApiServer Server, KubernetesClient Client)> all;
        List<LabCloudEndpoint> clouds;
        lock (_endpoints) { all = [.. _endpoints.Values]; _endpoints.Clear(); clouds = [.. _cloudEndpoints]; _cloudEndpoints.Clear(); _clouds.Clear(); }
        foreach (var cloud in clouds) await cloud.DisposeAsync();
        foreach (var (server, client) in all)
        {
            client.Dispose();
            await server.DisposeAsync();
        }
    }
}
