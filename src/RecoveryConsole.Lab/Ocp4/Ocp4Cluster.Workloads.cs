using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Ocp4.Runtime;

namespace RecoveryConsole.Lab.Ocp4;

// Pods that are not static: guard and operator pods (decoration that crictl shows and the documented greps filter
// out), and the OVN-Kubernetes pods that the API schedules (ovnkube-node per node, ovnkube-control-plane x2).
public sealed partial class Ocp4Cluster
{
    public const string OvnNamespace = "openshift-ovn-kubernetes";
    public const string OvnDatabaseDirectory = "/var/lib/ovn-ic/etc";
    private static readonly string[] OvnDatabases = ["ovnnb_db.db", "ovnsb_db.db"];

    private sealed record WorkloadSpec(string Name, string Namespace, PodKind Kind, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Containers);

    private readonly Dictionary<Ocp4Node, List<WorkloadSpec>> _decorations = [];

    private IEnumerable<WorkloadSpec> Decorations(Ocp4Node node)
    {
        if (!_decorations.TryGetValue(node, out var list)) _decorations[node] = list = ComputeDecorations(node).ToList();
        return list;
    }

    private IEnumerable<WorkloadSpec> ComputeDecorations(Ocp4Node node)
    {
        if (!node.IsControlPlane) yield break;
        var guard = new Dictionary<string, string> { ["app"] = "guard" };
        yield return new WorkloadSpec($"etcd-guard-{node.Name}", "openshift-etcd", PodKind.Guard, guard, ["guard"]);
        yield return new WorkloadSpec($"kube-apiserver-guard-{node.Name}", "openshift-kube-apiserver", PodKind.Guard, guard, ["guard"]);
        if (node != ControlPlane.FirstOrDefault()) yield break;
        foreach (var (op, ns) in new[] { ("etcd-operator", "openshift-etcd-operator"), ("kube-apiserver-operator", "openshift-kube-apiserver-operator") })
        {
            var hash = LabIds.Digest(Lab.Info.Name + op);
            yield return new WorkloadSpec($"{op}-{hash[..10]}-{hash[10..15]}", ns, PodKind.Operator, new Dictionary<string, string> { ["app"] = op }, [op]);
        }
    }

    private IEnumerable<WorkloadSpec> OvnPodsFromApi(Ocp4Node node) =>
        ApiPods().Where(kv => kv.Key.Namespace == OvnNamespace).Select(kv => kv.Value)
            .Where(p => (string?)p["spec"]?["nodeName"] == node.Name)
            .Select(p =>
            {
                var app = (string?)p["metadata"]?["labels"]?["app"];
                var kind = app == "ovnkube-control-plane" ? PodKind.OvnkubeControlPlane : PodKind.OvnkubeNode;
                var labels = (p["metadata"]?["labels"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "", StringComparer.Ordinal)
                             ?? new Dictionary<string, string>(StringComparer.Ordinal);
                return new WorkloadSpec((string)p["metadata"]!["name"]!, OvnNamespace, kind, labels, []);
            });

    /// <summary>The kubelet runs the pods bound to its node; while the API is down it keeps running what it has.</summary>
    private bool SyncWorkloads(Ocp4Node node, TimeSpan? settledFor = null)
    {
        var desired = Decorations(node).ToList();
        if (ApiServing && KubeletPosting(node)) desired.AddRange(OvnPodsFromApi(node));
        else
        {
            desired.AddRange(node.Runtime.Pods.Where(p => p.Kind is PodKind.OvnkubeNode or PodKind.OvnkubeControlPlane && !p.StopRequested)
                .Select(p => new WorkloadSpec(p.Name, p.Namespace, p.Kind, p.Labels, [])));
        }

        var changed = false;
        foreach (var pod in node.Runtime.Pods.Where(p => !p.IsStatic && !p.StopRequested).ToList())
        {
            if (desired.Any(d => d.Name == pod.Name && d.Namespace == pod.Namespace)) continue;
            StopPod(node, pod);
            changed = true;
        }
        foreach (var spec in desired)
        {
            if (node.Runtime.Pods.Any(p => !p.StopRequested && p.Name == spec.Name && p.Namespace == spec.Namespace)) continue;
            var labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal);
            StartPod(node, spec.Name, spec.Namespace, spec.Kind, labels, spec.Containers, settledFor);
            changed = true;
        }
        return changed;
    }

    // ---- OVN-Kubernetes databases: written by ovnkube-node at start, stale after a restore until deleted ----

    private void OnOvnkubeNodeCreated(Ocp4Node node, RuntimePod pod)
    {
        var files = node.Host.FileSystem;
        var epochs = OvnDatabases.Select(db => files.TryReadFile($"{OvnDatabaseDirectory}/{db}", out var text) ? OvnEpoch(text) : null).ToList();
        if (epochs.All(e => e is not null))
        {
            pod.Epoch = epochs.Min()!.Value; // the pod loads what is on disk
            return;
        }
        foreach (var db in OvnDatabases) WriteOvnDatabase(node, db, RestoreEpoch);
        pod.Epoch = RestoreEpoch;
    }

    internal void WriteOvnDatabase(Ocp4Node node, string db, int epoch) =>
        node.Host.FileSystem.WriteFile($"{OvnDatabaseDirectory}/{db}",
            $"OVSDB CLUSTER lab {(db.StartsWith("ovnnb", StringComparison.Ordinal) ? "OVN_Northbound" : "OVN_Southbound")}\n" +
            $"generation={epoch.ToString(CultureInfo.InvariantCulture)}\n");

    private static int? OvnEpoch(string text)
    {
        var at = text.IndexOf("generation=", StringComparison.Ordinal);
        if (at < 0) return null;
        var digits = new string(text[(at + "generation=".Length)..].TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) ? epoch : null;
    }

    /// <summary>The DaemonSet and Deployment controllers (in kube-controller-manager) recreate deleted OVN pods.</summary>
    private bool SyncOvnControllers()
    {
        if (!Network.OvnKubernetes) return false;
        if (!ControlPlane.Any(n => n.RunningContainer(PodKind.KubeControllerManager, "kube-controller-manager") is not null)) return false;
        var changed = false;
        var pods = Api.ListObjects($"/api/v1/namespaces/{OvnNamespace}/pods");
        var nodes = Api.ListObjects("/api/v1/nodes").Select(n => (string)n["metadata"]!["name"]!).ToHashSet(StringComparer.Ordinal);

        foreach (var orphan in pods.Where(p => !nodes.Contains((string?)p["spec"]?["nodeName"] ?? "")))
        {
            Api.Remove($"/api/v1/namespaces/{OvnNamespace}/pods/{orphan["metadata"]!["name"]}");
            changed = true;
        }
        foreach (var nodeName in nodes)
        {
            if (pods.Any(p => (string?)p["metadata"]?["labels"]?["app"] == "ovnkube-node" && (string?)p["spec"]?["nodeName"] == nodeName)) continue;
            Api.Put($"/api/v1/namespaces/{OvnNamespace}/pods/ovnkube-node-{Ids.Suffix()}", OvnPodObject("ovnkube-node", nodeName, PodKind.OvnkubeNode));
            changed = true;
        }
        var controlPlanePods = pods.Count(p => (string?)p["metadata"]?["labels"]?["app"] == "ovnkube-control-plane" && nodes.Contains((string?)p["spec"]?["nodeName"] ?? ""));
        var candidates = ControlPlane.Where(n => nodes.Contains(n.Name) && NodeReadyInApi(n.Name)).ToList();
        for (var i = controlPlanePods; i < Math.Min(2, ControlPlane.Count()) && candidates.Count > 0; i++)
        {
            var taken = pods.Where(p => (string?)p["metadata"]?["labels"]?["app"] == "ovnkube-control-plane").Select(p => (string?)p["spec"]?["nodeName"]).ToHashSet();
            var target = candidates.FirstOrDefault(n => !taken.Contains(n.Name)) ?? candidates[0];
            var name = $"ovnkube-control-plane-{LabIds.Digest(Lab.Info.Name + "ovnkube-control-plane")[..10]}-{Ids.Suffix()}";
            var obj = OvnPodObject("ovnkube-control-plane", target.Name, PodKind.OvnkubeControlPlane);
            Api.Put($"/api/v1/namespaces/{OvnNamespace}/pods/{name}", obj);
            pods.Add(Api.Get($"/api/v1/namespaces/{OvnNamespace}/pods/{name}")!);
            changed = true;
        }
        return changed;
    }

    internal JsonObject OvnPodObject(string app, string nodeName, PodKind kind) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["labels"] = new JsonObject { ["app"] = app, ["component"] = "network", ["kubernetes.io/os"] = "linux", ["openshift.io/component"] = "network" },
        },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = nodeName,
            ["hostNetwork"] = true,
            ["containers"] = new JsonArray(StaticPods.Containers(kind, Release)
                .Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["image"] = StaticPods.ImageRef(ComponentOf(kind, c.Name), Release) }).ToArray()),
        },
        ["status"] = new JsonObject { ["phase"] = "Pending" },
    };
}
