using Microsoft.Extensions.Logging.Abstractions;
using RecoveryConsole.Clusters.Connections;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>
/// The lab's hosted estate reached exactly as the console reaches it: every cluster's API over HTTPS with the real
/// Kubernetes client and the estate's AWS account (S3 and Route53, SigV4-verifying) given to the management clusters,
/// both by the console's own <see cref="LabEndpoints"/>. The engine starts first (it owns the redactor that must learn the
/// cloud secret), so the endpoints are attached once they serve.
/// </summary>
internal sealed class HostedEstateRegistry(LabClusterRegistry lab) : IClusterRegistry, IAsyncDisposable
{
    private LabEndpoints? _endpoints;

    public IReadOnlyList<ClusterInfo> List() => lab.List();

    /// <summary>Changes what the console gets for a cluster (a wrong cloud secret, an endpoint that does not answer).</summary>
    public Func<ClusterConnection, ClusterConnection> Rewrite { get; set; } = c => c;

    public ClusterConnection? Find(string name) => (_endpoints is { } endpoints ? endpoints.Connection(name) : lab.Find(name)) is { } found ? Rewrite(found) : null;

    public async Task ServeAsync(Redactor redactor)
    {
        var endpoints = new LabEndpoints(lab, NullLogger<LabEndpoints>.Instance, redactor);
        await endpoints.StartAsync(CancellationToken.None);
        _endpoints = endpoints;
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoints is not null) await _endpoints.DisposeAsync();
    }
}
