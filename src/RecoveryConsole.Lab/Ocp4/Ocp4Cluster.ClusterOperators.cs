using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.Ocp4;

// ClusterOperators (config.openshift.io/v1) of the control plane, derived from the operators' state and the
// operands that really run: what cluster-backup.sh checks and `oc adm wait-for-stable-cluster` waits for.
public sealed partial class Ocp4Cluster
{
    internal const string ClusterOperatorsPath = "/apis/config.openshift.io/v1/clusteroperators";

    private bool SyncClusterOperators()
    {
        var changed = false;
        foreach (var spec in StaticPods.ControlPlane)
        {
            var op = Api.Get(OperatorPath(spec));
            var path = $"{ClusterOperatorsPath}/{spec.ClusterOperator}";
            var co = Api.Get(path);
            if (op is null || co is null) continue;
            var before = co.DeepClone();
            var status = co["status"] as JsonObject ?? [];
            co["status"] = status;

            var opStatus = op["status"] as JsonObject;
            var latest = JsonNumbers.Long(opStatus?["latestAvailableRevision"]) ?? 0;
            var nodeStatuses = (opStatus?["nodeStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var progressing = nodeStatuses.Any(n => (JsonNumbers.Long(n["currentRevision"]) ?? 0) != latest);
            var failed = nodeStatuses.Where(n => JsonNumbers.Long(n["lastFailedRevision"]) == latest && (JsonNumbers.Long(n["currentRevision"]) ?? 0) != latest)
                .Select(n => (string?)n["nodeName"]).ToList();
            var running = ControlPlane.Count(n => n.RunningContainer(spec.Kind, MainContainer(spec)) is not null
                                                  || (spec.Kind == PodKind.Etcd && n.RunningContainer(PodKind.RestoreEtcd, "etcd") is not null));
            var degraded = new List<string>();
            if (failed.Count > 0) degraded.Add($"NodeInstallerDegraded: revision {latest} failed on {string.Join(", ", failed)}");
            if (spec.Kind == PodKind.Etcd && LiveEtcd is { } live)
            {
                var healthy = live.Members.Count(m => IsRunning(live, m));
                if (healthy < live.Members.Count)
                    degraded.Add($"EtcdMembersDegraded: {healthy} of {live.Members.Count} members are available, {string.Join(", ", live.Members.Where(m => !IsRunning(live, m)).Select(m => (m.Name.Length > 0 ? m.Name : m.NodeName) + " is unhealthy"))}");
            }

            var message = StaticPodRolloutController.Message(nodeStatuses.Select(n => JsonNumbers.Long(n["currentRevision"]) ?? 0).ToList(), latest);
            Conditions.Set(status, "Degraded", degraded.Count > 0 ? "True" : "False", degraded.Count > 0 ? "OperatorDegraded" : "AsExpected", string.Join("\n", degraded), Now);
            Conditions.Set(status, "Progressing", progressing ? "True" : "False", progressing ? "NodeInstaller" : "AsExpected",
                progressing ? "NodeInstallerProgressing: " + message : "NodeInstallerProgressing: " + message, Now);
            Conditions.Set(status, "Available", running > 0 ? "True" : "False", running > 0 ? "AsExpected" : "StaticPodsDegraded",
                $"StaticPodsAvailable: {running} nodes are active; {message}", Now);
            if (JsonNode.DeepEquals(before, co)) continue;
            Api.Put(path, co);
            changed = true;
        }
        return changed;
    }

    internal JsonObject ClusterOperatorObject(string name) => new()
    {
        ["apiVersion"] = "config.openshift.io/v1",
        ["kind"] = "ClusterOperator",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject(),
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("Available", "True", "AsExpected"),
                Condition("Progressing", "False", "AsExpected"),
                Condition("Degraded", "False", "AsExpected")),
            ["versions"] = new JsonArray(new JsonObject { ["name"] = "operator", ["version"] = Release.Version }),
        },
    };

    private JsonObject Condition(string type, string status, string reason) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = "",
        ["lastTransitionTime"] = Conditions.Timestamp(Now),
    };
}
