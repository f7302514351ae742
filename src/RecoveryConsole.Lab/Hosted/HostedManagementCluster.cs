using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Hosted;

/// <summary>
/// A HyperShift management cluster (lab-mgmt-a, lab-mgmt-b): HostedCluster, NodePool, HostedControlPlane, the
/// control-plane namespace with etcd (StatefulSet, PVCs, members) and the API server Deployments, routes published to
/// Route53, and the AWS CAPI objects. The hypershift operator is simulated as a controller on its API; etcd and the
/// data pod run through the exec hook (<see cref="HostedExec"/>).
/// </summary>
public sealed partial class HostedManagementCluster : ILabClusterModel, ILabApiController, ILabApiGate
{
    public const string ModelKind = "hosted";
    public const string ProductName = "hypershift-management";
    internal const string Hc = "/apis/hypershift.openshift.io/v1beta1/namespaces/" + HostedEstate.ClusterNamespace + "/hostedclusters/" + HostedEstate.ClusterName;
    internal const string Np = "/apis/hypershift.openshift.io/v1beta1/namespaces/" + HostedEstate.ClusterNamespace + "/nodepools/" + HostedEstate.ClusterName + "-workers";
    internal const string Cp = HostedEstate.ControlPlaneNamespace;
    internal static readonly string[] ApiServers = ["kube-apiserver", "openshift-apiserver", "openshift-oauth-apiserver"];
    internal static readonly string[] ControlPlaneDeployments = [.. ApiServers, "control-plane-operator"];

    private bool _reconciling;
    private bool _detached;

    private HostedManagementCluster(LabCluster cluster, HostedEstate estate)
    {
        Cluster = cluster;
        Estate = estate;
    }

    public string Kind => ModelKind;
    public LabCluster Cluster { get; }
    public HostedEstate Estate { get; }
    internal LabKubernetesApi Api => Cluster.Api;
    internal string Name => Cluster.Info.Name;

    /// <summary>The PVCs' contents, by claim name (a volume outlives its claim while a pod still mounts it).</summary>
    internal Dictionary<string, HostedVolume> Volumes { get; } = new(StringComparer.Ordinal);

    /// <summary>Set by the scenario: the management cluster's own upgrade failed.</summary>
    public bool UpgradeFailed { get; internal set; }

    public static HostedManagementCluster? Attach(LabCluster cluster, LabOptions options)
    {
        if (cluster.Info.Product != ProductName) return null;
        var estate = HostedEstate.For(cluster);
        var model = new HostedManagementCluster(cluster, estate);
        lock (cluster.Api.SyncRoot)
        {
            var reattach = estate.Management.ContainsKey(model.Name);
            estate.Management[model.Name] = model;
            if (reattach && model.Name == HostedEstate.SourceName) estate.ResetSiblings(model.Name);
            model.Seed();
            cluster.Api.Gate = model;
            cluster.Api.AddController(model);
            cluster.Api.ExecHandler = new HostedExec(model).RunAsync;
            model.Reconcile();
        }
        return model;
    }

    public void Detach()
    {
        lock (Api.SyncRoot)
        {
            _detached = true;
            Api.RemoveControllers<HostedManagementCluster>();
            Api.Gate = null;
            Api.ExecHandler = null;
        }
    }

    /// <summary>Lets the simulation catch up with the clock (tests call it after moving virtual time).</summary>
    public void Sync()
    {
        lock (Api.SyncRoot) Reconcile();
    }

    void ILabApiController.OnWritten(ResourcePath path, JsonObject? before, JsonObject? after)
    {
        if (_reconciling || _detached) return;
        Reconcile();
    }

    void ILabApiController.Advance(DateTimeOffset now)
    {
        if (_reconciling || _detached) return;
        Reconcile();
    }

    // ---- helpers over the API -------------------------------------------------------------------------------------

    internal JsonObject? Get(string path) => Api.Get(path);

    internal void Put(string path, JsonObject obj) => Api.Put(path, obj);

    internal void Remove(string path)
    {
        if (Api.Get(path) is not null) Api.Remove(path);
    }

    internal List<JsonObject> List(string collection) => Api.ListObjects(collection);

    internal static string Deployment(string name) => $"/apis/apps/v1/namespaces/{Cp}/deployments/{name}";
    internal const string EtcdSts = "/apis/apps/v1/namespaces/" + Cp + "/statefulsets/etcd";
    internal static string Pod(string name) => $"/api/v1/namespaces/{Cp}/pods/{name}";
    internal static string Pvc(string name) => $"/api/v1/namespaces/{Cp}/persistentvolumeclaims/{name}";

    internal static long Replicas(JsonObject? workload) => (long?)workload?["spec"]?["replicas"] ?? 1;

    /// <summary>True while spec.pausedUntil is "true" or a time still ahead.</summary>
    internal bool IsPaused(JsonObject? obj)
    {
        var value = obj?["spec"]?["pausedUntil"];
        if (value is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Length == 0) return false;
        if (s == "true") return true;
        return DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var until) && until > Cluster.Clock.UtcNow;
    }

    internal int DesiredReplicas(JsonObject hc) => (string?)hc["spec"]?["controllerAvailabilityPolicy"] == "SingleReplica" ? 1 : 3;

    // ---- the gate: HyperShift's validation of HostedCluster writes -----------------------------------------------

    ApiResponse? ILabApiGate.Admit(ApiRequest request)
    {
        var path = request.Path.Split('?')[0];
        if (!path.Contains("/hostedclusters", StringComparison.Ordinal)) return null;
        var parsed = ResourcePath.Parse(path);
        if (parsed is null || parsed.Subresource is not null) return null;
        try
        {
            switch (request.Method.ToUpperInvariant())
            {
                case "POST":
                {
                    var body = JsonNode.Parse(request.Body ?? "{}") as JsonObject;
                    var name = (string?)body?["metadata"]?["name"] ?? "";
                    if (RestoreUrls(body) is { } urls) ValidateRestoreUrls(parsed with { Name = name }, urls);
                    ValidatePaused(parsed with { Name = name }, body?["spec"]?["pausedUntil"]);
                    break;
                }
                case "PUT" or "PATCH" when parsed.Name is not null:
                {
                    var current = Api.Get(parsed.ObjectKey);
                    if (current is null) return null;
                    var patch = JsonNode.Parse(request.Body ?? "{}");
                    if (request.Method.Equals("PATCH", StringComparison.OrdinalIgnoreCase) && patch is JsonArray ops)
                    {
                        if (ops.OfType<JsonObject>().Any(o => ((string?)o["path"] ?? "").Contains("restoreSnapshotURL", StringComparison.Ordinal)))
                            throw KubeStatus.Invalid(parsed, "spec.etcd.managed.storage.restoreSnapshotURL: Invalid value: \"array\": RestoreSnapshotURL is immutable");
                        return null;
                    }
                    if (patch is not JsonObject obj) return null;
                    var touched = obj["spec"]?["etcd"]?["managed"]?["storage"] is JsonObject s && s.ContainsKey("restoreSnapshotURL");
                    if (touched && (RestoreUrls(obj)?.ToJsonString() ?? "null") != (RestoreUrls(current)?.ToJsonString() ?? "null"))
                        throw KubeStatus.Invalid(parsed, "spec.etcd.managed.storage.restoreSnapshotURL: Invalid value: \"array\": RestoreSnapshotURL is immutable");
                    if (obj["spec"] is JsonObject spec && spec.ContainsKey("pausedUntil")) ValidatePaused(parsed, spec["pausedUntil"]);
                    break;
                }
            }
        }
        catch (KubeApiException e)
        {
            return e.ToResponse();
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // the API answers the parse error itself
        }
        return null;
    }

    internal static JsonArray? RestoreUrls(JsonObject? hc) => hc?["spec"]?["etcd"]?["managed"]?["storage"]?["restoreSnapshotURL"] as JsonArray;

    /// <summary>https:// or s3:// as the API demands; the lab's own S3 endpoint (plain HTTP on 127.0.0.1) stands in for https.</summary>
    private void ValidateRestoreUrls(ResourcePath path, JsonArray urls)
    {
        if (urls.Count > 1)
            throw KubeStatus.Invalid(path, $"spec.etcd.managed.storage.restoreSnapshotURL: Too many: {urls.Count}: must have at most 1 items");
        foreach (var url in urls.Select(u => (string?)u ?? ""))
        {
            var lab = Estate.S3.Endpoint is { } served && url.StartsWith(served.GetLeftPart(UriPartial.Authority) + "/", StringComparison.Ordinal);
            if (!url.StartsWith("https://", StringComparison.Ordinal) && !url.StartsWith("s3://", StringComparison.Ordinal) && !lab)
                throw KubeStatus.Invalid(path, $"spec.etcd.managed.storage.restoreSnapshotURL[0]: Invalid value: \"{url}\": restoreSnapshotURL must be a valid https:// or s3:// URL");
        }
    }

    private static void ValidatePaused(ResourcePath path, JsonNode? value)
    {
        if (value is null) return;
        var s = value is JsonValue v && v.TryGetValue<string>(out var str) ? str : null;
        if (s is null || s.Length == 0 || s == "true") return;
        if (!DateTimeOffset.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            throw KubeStatus.Invalid(path, $"spec.pausedUntil: Invalid value: \"{s}\": spec.pausedUntil in body should match '^([0-9]+)-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\\.[0-9]+)?(([Zz])|([\\+|\\-]([01][0-9]|2[0-3]):[0-5][0-9]))$|^true$'");
    }
}

/// <summary>One PVC's contents as the etcd container sees them under /var/lib: files, and the etcd member in /var/lib/data.</summary>
internal sealed class HostedVolume
{
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Directories { get; } = new(StringComparer.Ordinal) { "/var/lib" };

    /// <summary>The member whose data is in /var/lib/data (null: empty data directory).</summary>
    public EtcdMemberData? Member { get; set; }
}

internal sealed class EtcdMemberData(string name, EtcdDataset dataset)
{
    public string Name { get; } = name;
    public EtcdDataset Dataset { get; set; } = dataset;
    public bool Corrupted { get; set; }
    public ulong MemberId { get; } = 0x8e9e05c52164694dUL ^ ((ulong)name.Length * 0x9e3779b97f4a7c15UL + name[^1]) ^ dataset.ClusterId;
}

public sealed partial class HostedManagementCluster
{
    public LabHealthReport Diagnose() => HostedHealth.Diagnose(Estate, Cluster);
}
