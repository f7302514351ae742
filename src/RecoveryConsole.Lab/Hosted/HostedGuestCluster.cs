using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Hosted;

/// <summary>
/// The hosted cluster's own API (lab-hosted-1): its objects are the keyspace of the etcd that serves it in a
/// management cluster's control-plane namespace; it answers only while a control plane serves it. Its workers are
/// Ready while their NodePool is reconciled by the serving management cluster; its OVN-Kubernetes node pods are of
/// the management generation they started under and must be restarted after a move.
/// </summary>
public sealed class HostedGuestCluster : ILabClusterModel, ILabApiController, ILabApiGate
{
    public const string ProductName = "hypershift-hosted";
    internal const string OvnPods = "/api/v1/namespaces/openshift-ovn-kubernetes/pods";
    internal const string GenerationAnnotation = "lab.recoveryconsole.io/management-generation";
    private bool _reconciling;
    private bool _detached;

    private HostedGuestCluster(LabCluster cluster, HostedEstate estate)
    {
        Cluster = cluster;
        Estate = estate;
    }

    public string Kind => HostedManagementCluster.ModelKind;
    public LabCluster Cluster { get; }
    public HostedEstate Estate { get; }

    public static string NodeName(int i) => $"ip-10-0-{130 + i}-{17 + i * 40}.ec2.internal";

    public static HostedGuestCluster? Attach(LabCluster cluster, LabOptions options)
    {
        if (cluster.Info.Product != ProductName) return null;
        var estate = HostedEstate.For(cluster);
        var model = new HostedGuestCluster(cluster, estate);
        lock (cluster.Api.SyncRoot)
        {
            model.Seed();
            estate.Guest = model;
            cluster.Api.Gate = model;
            cluster.Api.AddController(model);
        }
        foreach (var management in estate.Management.Values.ToList()) management.Sync();
        estate.Arbitrate();
        return model;
    }

    public void Detach()
    {
        lock (Cluster.Api.SyncRoot)
        {
            _detached = true;
            Cluster.Api.RemoveControllers<HostedGuestCluster>();
            Cluster.Api.Gate = null;
        }
    }

    public LabHealthReport Diagnose() => HostedHealth.Diagnose(Estate, Cluster);

    private void Seed()
    {
        var api = Cluster.Api;
        foreach (var ns in new[] { "shop", "openshift-ovn-kubernetes" })
            api.Put($"/api/v1/namespaces/{ns}", HostedManagementCluster.Namespace());
        api.Put("/api/v1/namespaces/shop/configmaps/storefront-config", new JsonObject { ["data"] = new JsonObject { ["currency"] = "EUR", ["theme"] = "autumn" } });
        api.Put("/api/v1/namespaces/shop/secrets/payment-gateway", HostedManagementCluster.Secret("token", "lab-payment-token"));
        foreach (var host in Cluster.Info.Hosts)
        {
            var node = api.Get($"/api/v1/nodes/{host.Name}");
            if (node is not null) SetReady(node, true, "KubeletReady", "kubelet is posting ready status");
            if (node is not null) api.Put($"/api/v1/nodes/{host.Name}", node);
        }
        EnsureOvnPods(0);
    }

    ApiResponse? ILabApiGate.Admit(ApiRequest request)
    {
        if (Estate.Serving is null)
            throw new ApiUnreachableException(Cluster.Api.Server, $"dial tcp: lookup api.{HostedEstate.ClusterName}.{HostedEstate.BaseDomain}: connect: connection refused");
        return null;
    }

    void ILabApiController.OnWritten(ResourcePath path, JsonObject? before, JsonObject? after) => Reconcile();

    void ILabApiController.Advance(DateTimeOffset now) => Reconcile();

    public void Sync()
    {
        lock (Cluster.Api.SyncRoot) Reconcile();
    }

    private void Reconcile()
    {
        if (_reconciling || _detached || Estate.Serving is null) return;
        _reconciling = true;
        try
        {
            var active = Estate.ServingFrom is { } from && Estate.Management.GetValueOrDefault(from)?.NodePoolActive == true;
            foreach (var node in Cluster.Api.ListObjects("/api/v1/nodes"))
            {
                var name = (string)node["metadata"]!["name"]!;
                if (SetReady(node, active, active ? "KubeletReady" : "NodeStatusUnknown", active ? "kubelet is posting ready status" : "Kubelet stopped posting node status."))
                    Cluster.Api.Put($"/api/v1/nodes/{name}", node);
            }
            EnsureOvnPods(Estate.Generation);
        }
        finally
        {
            _reconciling = false;
        }
    }

    private bool SetReady(JsonObject node, bool ready, string reason, string message)
    {
        var status = node["status"] as JsonObject ?? [];
        node["status"] = status;
        var current = Conditions.Find(status, "Ready");
        var value = ready ? "True" : "Unknown";
        if ((string?)current?["status"] == value) return false;
        Conditions.Set(status, "Ready", value, reason, message, Cluster.Clock.UtcNow);
        return true;
    }

    /// <summary>The ovnkube-node DaemonSet: one pod per node; a deleted pod comes back of the current generation.</summary>
    private void EnsureOvnPods(int generation)
    {
        var pods = Cluster.Api.ListObjects(OvnPods);
        foreach (var host in Cluster.Info.Hosts)
        {
            if (pods.Any(p => (string?)p["spec"]?["nodeName"] == host.Name)) continue;
            var name = $"ovnkube-node-{HostedManagementCluster.PodHash(host.Name + generation)[..5]}";
            Cluster.Api.Put($"{OvnPods}/{name}", new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["labels"] = new JsonObject { ["app"] = "ovnkube-node" },
                    ["annotations"] = new JsonObject { [GenerationAnnotation] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
                ["spec"] = new JsonObject { ["nodeName"] = host.Name, ["containers"] = new JsonArray(new JsonObject { ["name"] = "ovnkube-controller" }) },
                ["status"] = new JsonObject { ["phase"] = "Running", ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) },
            });
        }
    }

    /// <summary>OVN pods started under an earlier management cluster (their southbound/northbound view is stale).</summary>
    internal List<string> StaleOvnPods() =>
        Cluster.Api.ListObjects(OvnPods)
            .Where(p => (string?)p["metadata"]?["annotations"]?[GenerationAnnotation] != Estate.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(p => (string)p["metadata"]!["name"]!).ToList();

    internal List<string> NotReadyNodes() =>
        Cluster.Api.ListObjects("/api/v1/nodes")
            .Where(n => (string?)Conditions.Find(n["status"] as JsonObject ?? [], "Ready")?["status"] != "True")
            .Select(n => (string)n["metadata"]!["name"]!).ToList();
}
