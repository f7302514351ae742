using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Ocp4.Etcd;
using RecoveryConsole.Lab.Ocp4.Runtime;

namespace RecoveryConsole.Lab.Ocp4;

// The health model: every check reads the simulation's own state.
public sealed partial class Ocp4Cluster
{
    private readonly HashSet<RuntimeContainer> _staleApiServers = [];

    /// <summary>kube-apiservers that were serving the old cluster's data when a restore happened (their cache is stale).</summary>
    private void MarkStaleApiServers()
    {
        foreach (var node in ControlPlane)
        {
            if (node.RunningContainer(PodKind.KubeApiServer, "kube-apiserver") is { } kas && kas.IsReady(Now)) _staleApiServers.Add(kas);
        }
    }

    public LabHealthReport Diagnose() => Read(() =>
    {
        var problems = new List<LabProblem>();
        void Add(string code, string subject, string message) => problems.Add(new LabProblem(code, subject, message));

        foreach (var node in _nodes.Where(n => !n.IsUp))
        {
            Add("host-down", node.Name, node.Provisioning
                ? $"{Role(node)} host {node.Name} is being re-provisioned by a new machine"
                : $"{Role(node)} host {node.Name} is down or unreachable");
        }

        DiagnoseEtcd(Add);
        var unreachable = ApiUnreachableReason();
        if (!Api.Available) Add("api-unreachable", "api", "the lab's API server is switched off (LabKubernetesApi.Available is false)");
        else if (unreachable is not null) Add("api-unreachable", "api", "the Kubernetes API does not answer: " + unreachable);
        else if (!ApiServing) Add("api-no-storage", "api", "the Kubernetes API answers but cannot read or write: etcdserver: request timed out");
        foreach (var node in ControlPlane.Where(n => n.IsUp))
        {
            if (node.RunningContainer(PodKind.KubeApiServer, "kube-apiserver") is { } kas && _staleApiServers.Contains(kas))
                Add("kube-apiserver-stale", node.Name, $"kube-apiserver on {node.Name} was serving before the etcd restore and still serves its old cache; stop it (move kube-apiserver-pod.yaml out of the manifests)");
        }

        DiagnoseStaticPods(Add);
        DiagnoseNodes(Add);
        DiagnoseVips(Add);
        if (ApiServing)
        {
            DiagnoseCsrs(Add);
            DiagnoseOperators(Add);
            DiagnoseMachines(Add);
            DiagnoseObjects(Add);
        }
        DiagnoseOvn(Add);
        return new LabHealthReport(Lab.Info.Name, Now, problems);
    });

    private static string Role(Ocp4Node node) => node.IsControlPlane ? "control-plane" : "worker";

    private void DiagnoseEtcd(Action<string, string, string> add)
    {
        if (LiveEtcd is not { } live)
        {
            add("etcd-missing", "etcd", "no etcd cluster exists");
            return;
        }
        var running = RunningVoters(live);
        if (!HasQuorum(live))
            add("etcd-quorum-lost", "etcd", $"etcd has lost quorum: {running} of {live.Voters.Count()} voting members run, {live.QuorumSize} are needed; the API cannot read or write");
        foreach (var member in live.Members.Where(m => !IsRunning(live, m)))
            add("etcd-member-down", member.NodeName, $"etcd member {Display(member)} ({member.IdHex}) on {member.NodeName} is not running");
        foreach (var member in live.Members.Where(m => m.IsLearner && IsRunning(live, m)))
            add("etcd-learner", member.NodeName, $"etcd member {Display(member)} is still a learner (catching up)");
        var controlPlane = ControlPlane.Count();
        if (live.Members.Count != controlPlane)
            add("etcd-member-count", "etcd", $"etcd cluster {live.IdHex} has {live.Members.Count} member(s); each of the {controlPlane} control-plane hosts should run one");
        foreach (var (node, _, binding) in RunningEtcd().Where(r => r.Binding.Cluster != live))
        {
            add("etcd-cluster-id-mismatch", node.Name,
                $"etcd on {node.Name} still runs as member {binding.Member.IdHex} of the old cluster {binding.Cluster.IdHex}, not of the current cluster {live.IdHex}: " +
                "peers reject it with \"request cluster ID mismatch\" (split brain: stop it and move its data directory away)");
        }
        foreach (var node in _nodes.Where(n => n.IsUp))
        {
            foreach (var pod in node.Runtime.Pods.Where(p => p.Kind is PodKind.Etcd or PodKind.RestoreEtcd && !p.StopRequested))
            {
                if (pod.Container("etcd") is { } etcd && (IsCrashLooping(etcd) || (etcd.Attempt > 0 && etcd.Process is not EtcdBinding)))
                {
                    var last = etcd.Logs.LastOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal) || l.Contains("\"level\":\"fatal\"", StringComparison.Ordinal) || l.StartsWith("please", StringComparison.Ordinal))
                               ?? etcd.Logs.LastOrDefault() ?? "exited";
                    add(pod.Kind == PodKind.RestoreEtcd ? "etcd-restore-failed" : "etcd-crashloop", node.Name,
                        $"the {(pod.Kind == PodKind.RestoreEtcd ? "restore-etcd" : "etcd")} pod on {node.Name} is in CrashLoopBackOff (restarted {etcd.Attempt} times): {last}");
                }
                else if (pod.Kind == PodKind.RestoreEtcd)
                {
                    add("etcd-restore-pod", node.Name,
                        $"{node.Name} still runs the restore-etcd pod (a single-member recovery etcd); force a new etcd revision (spec.forceRedeploymentReason) to replace it");
                }
            }
        }
    }

    private static string Display(EtcdMember member) => member.Name.Length > 0 ? member.Name : "(unstarted)";

    private void DiagnoseStaticPods(Action<string, string, string> add)
    {
        foreach (var node in ControlPlane.Where(n => n.IsUp && !n.Provisioning))
        {
            if (!node.KubeletActive) continue; // reported with the node
            foreach (var spec in StaticPods.ControlPlane)
            {
                var pod = node.ActivePod(spec.Kind) ?? (spec.Kind == PodKind.Etcd ? node.ActivePod(PodKind.RestoreEtcd) : null);
                if (pod is null)
                {
                    add("static-pod-missing", node.Name, $"{spec.Resource} does not run on {node.Name}: {spec.ManifestFile} is not in {StaticPods.ManifestDirectory}");
                    continue;
                }
                var crashing = pod.Containers.Where(IsCrashLooping).ToList();
                if (crashing.Count > 0 && spec.Kind != PodKind.Etcd)
                    add("static-pod-crashloop", node.Name, $"{pod.Name}: container {crashing[0].Name} is in CrashLoopBackOff");
            }
            if (Network.KeepalivedEnabled && node.ActivePod(PodKind.Keepalived) is null)
                add("static-pod-missing", node.Name, $"keepalived does not run on {node.Name}: {StaticPods.KeepalivedManifest} is not in {StaticPods.ManifestDirectory}");
        }
    }

    private void DiagnoseNodes(Action<string, string, string> add)
    {
        var serving = ApiServing;
        var trusted = serving ? TrustedSigners() : null;
        foreach (var node in _nodes.Where(n => n.IsUp))
        {
            if (!node.KubeletUnit.Active)
            {
                add("node-not-ready", node.Name, $"node {node.Name} is NotReady: kubelet.service is not running");
                continue;
            }
            if (!serving) continue; // without an API no node can post its status; the API problem says it
            var (accepted, error) = KubeletCredentials(node, trusted);
            if (!accepted)
            {
                add("node-not-ready", node.Name, $"node {node.Name} is NotReady: the kubelet cannot talk to the API ({error})");
                continue;
            }
            if (Api.Get($"/api/v1/nodes/{node.Name}") is null)
                add("node-missing", node.Name, $"node {node.Name} is not registered in the API");
        }
        if (serving)
        {
            foreach (var node in _nodes.Where(n => !n.IsUp && Api.Get($"/api/v1/nodes/{n.Name}") is not null))
                add("node-not-ready", node.Name, $"node {node.Name} is NotReady: Kubelet stopped posting node status.");
        }
    }

    private void DiagnoseVips(Action<string, string, string> add)
    {
        if (!Network.KeepalivedEnabled) return;
        foreach (var vip in new[] { Network.ApiVip, Network.IngressVip })
        {
            var name = vip == Network.ApiVip ? "API" : "ingress";
            var holders = VipHolders(vip);
            if (holders.Count == 0) add("vip-missing", vip, $"the {name} VIP {vip} is not configured on any host (no keepalived holds it)");
            if (holders.Count > 1)
            {
                var stale = holders.Where(n => n.RunningContainer(PodKind.Keepalived, "keepalived") is null).Select(n => n.Name).ToList();
                add("vip-duplicate", vip, $"the {name} VIP {vip} is configured on {string.Join(" and ", holders.Select(h => h.Name))}" +
                    (stale.Count > 0 ? $" (stale address on {string.Join(", ", stale)}, where keepalived no longer runs: remove it with ip address del {vip}/32 dev {Network.Device})" : ""));
            }
        }
    }

    private void DiagnoseCsrs(Action<string, string, string> add)
    {
        var pending = Api.ListObjects(CsrPath).Where(c => (c["status"]?["conditions"] as JsonArray ?? []).Count == 0).ToList();
        if (pending.Count == 0) return;
        var list = string.Join(", ", pending.Select(c =>
            $"{c["metadata"]!["name"]} ({((string?)c["spec"]?["signerName"] ?? "")["kubernetes.io/".Length..]}, {c["spec"]?["username"]})"));
        add("csr-pending", "csr", $"{pending.Count} certificate signing request(s) pending: {list}");
    }

    private void DiagnoseOperators(Action<string, string, string> add)
    {
        var formed = LiveEtcd is { FormedByRestore: true } live ? live.FormedAt : (DateTimeOffset?)null;
        foreach (var spec in StaticPods.ControlPlane)
        {
            var obj = Api.Get(OperatorPath(spec));
            if (obj is null)
            {
                add("operator-missing", spec.Resource, $"the {spec.OperatorResource}/cluster operator resource is missing");
                continue;
            }
            var status = obj["status"];
            var latest = JsonNumbers.Long(status?["latestAvailableRevision"]) ?? 0;
            var nodes = (status?["nodeStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            var behind = nodes.Where(n => (JsonNumbers.Long(n["currentRevision"]) ?? 0) != latest).ToList();
            if (behind.Count > 0)
            {
                var message = StaticPodRolloutController.Message(nodes.Select(n => JsonNumbers.Long(n["currentRevision"]) ?? 0).ToList(), latest);
                var blocked = RolloutBlockedReason(spec);
                add("operator-not-at-latest-revision", spec.Resource,
                    $"{spec.Resource}: not all nodes are at the latest revision {latest} ({message})" + (blocked is null ? "" : $"; blocked: {blocked}"));
            }
            foreach (var nodeStatus in nodes)
            {
                var nodeName = (string?)nodeStatus["nodeName"] ?? "";
                var current = JsonNumbers.Long(nodeStatus["currentRevision"]) ?? 0;
                var node = Node(nodeName);
                if (node is not { IsUp: true } || current == 0) continue;
                var pod = node.ActivePod(spec.Kind);
                if (pod is null && spec.Kind == PodKind.Etcd && node.ActivePod(PodKind.RestoreEtcd) is not null) continue;
                if (pod?.Revision != current)
                {
                    add("operator-node-mismatch", nodeName,
                        $"{spec.Resource}: the operator records revision {current} on {nodeName}, but {nodeName} runs {(pod is null ? "none" : $"revision {pod.Revision}")}");
                }
            }
            if (formed is { } restoredAt)
            {
                var stale = nodes.Where(n => (JsonNumbers.Long(n["currentRevision"]) ?? 0) is var r and > 0 && RevisionCreatedAt(spec, r) is { } created && created < restoredAt)
                    .Select(n => $"{n["nodeName"]} (revision {n["currentRevision"]})").ToList();
                if (stale.Count > 0)
                {
                    add("operator-revision-predates-restore", spec.Resource,
                        $"{spec.Resource}: {string.Join(", ", stale)} run a revision created before the etcd restore at {LabCertificate.Stamp(restoredAt)}; " +
                        "force a new rollout (spec.forceRedeploymentReason) so every node gets one that knows the restored cluster");
                }
            }
        }
        if (QuorumGuardDisabled(Api.Get(OperatorPath(StaticPods.Etcd))))
            add("etcd-quorum-guard-disabled", "etcd", $"the etcd quorum guard is still off (spec.unsupportedConfigOverrides.{QuorumGuardOverride}); turn it back on");
    }

    private void DiagnoseMachines(Action<string, string, string> add)
    {
        foreach (var machine in Api.ListObjects(MachinesPath))
        {
            var phase = (string?)machine["status"]?["phase"] ?? "";
            if (phase != "Running") add("machine-not-running", (string)machine["metadata"]!["name"]!, $"machine {machine["metadata"]!["name"]} is {(phase.Length > 0 ? phase : "without a phase")}");
        }
    }

    private void DiagnoseObjects(Action<string, string, string> add)
    {
        foreach (var path in CriticalObjects)
        {
            if (Api.Get(path) is null) add("critical-object-missing", path, $"{path} of the baseline workload is missing (deleted?)");
        }
    }

    private void DiagnoseOvn(Action<string, string, string> add)
    {
        if (!Network.OvnKubernetes) return;
        foreach (var node in _nodes.Where(n => n.IsUp && n.KubeletActive))
        {
            var ovnNode = node.Runtime.Pods.FirstOrDefault(p => p.Kind == PodKind.OvnkubeNode && !p.StopRequested);
            if (ovnNode is null)
            {
                if (ApiServing) add("ovn-node-missing", node.Name, $"no ovnkube-node pod runs on {node.Name}");
                continue;
            }
            if (ovnNode.Epoch < RestoreEpoch)
            {
                add("ovn-stale-databases", node.Name,
                    $"OVN-Kubernetes on {node.Name} still uses northbound/southbound databases from before the restore: delete {OvnDatabaseDirectory}/*.db, " +
                    "restart ovs-vswitchd and ovsdb-server, and delete the node's ovnkube-node pod");
            }
            foreach (var controlPlane in node.Runtime.Pods.Where(p => p.Kind == PodKind.OvnkubeControlPlane && !p.StopRequested && p.Epoch < RestoreEpoch))
                add("ovn-control-plane-stale", node.Name, $"{controlPlane.Name} on {node.Name} started before the restore; delete the ovnkube-control-plane pods so they restart");
        }
    }
}
