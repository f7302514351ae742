using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.Ocp4;

// The static-pod operators (etcd, kube-apiserver, kube-controller-manager, kube-scheduler): a new
// spec.forceRedeploymentReason makes revision N+1; installers put it on one control-plane node after the other
// (each taking RolloutStepDelay at least, and waiting for the new pod to run); new control-plane nodes get the latest
// revision; the etcd operator adds a member for a node before installing etcd there and honours the quorum guard.
public sealed partial class Ocp4Cluster
{
    internal const string OperatorGroup = "operator.openshift.io";
    internal const string QuorumGuardOverride = "useUnsupportedUnsafeNonHANonProductionUnstableEtcd";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(2);

    private sealed class Install(string node, long revision, DateTimeOffset started)
    {
        public string Node { get; } = node;
        public long Revision { get; } = revision;
        public DateTimeOffset Started { get; } = started;
    }

    private readonly HashSet<string> _forcedRedeployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Install> _installs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _retryAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _blocked = new(StringComparer.Ordinal);

    internal static string OperatorPath(StaticPodSpec spec) => $"/apis/{OperatorGroup}/v1/{spec.OperatorResource}/cluster";

    internal static string RevisionStatusPath(StaticPodSpec spec, long revision) =>
        $"/api/v1/namespaces/{spec.Namespace}/configmaps/revision-status-{revision.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Why a rollout of this operator does not progress (quorum guard, node not ready), if it does not.</summary>
    internal string? RolloutBlockedReason(StaticPodSpec spec) => _blocked.GetValueOrDefault(spec.Resource);

    private void ResetControllersAfterRestore()
    {
        _installs.Clear();
        _retryAt.Clear();
        _blocked.Clear();
        _forcedRedeployments.Clear();
    }

    private bool SyncOperators()
    {
        var changed = false;
        var controlPlaneNodes = Api.ListObjects("/api/v1/nodes")
            .Where(n => n["metadata"]?["labels"]?["node-role.kubernetes.io/master"] is not null)
            .Select(n => (string)n["metadata"]!["name"]!)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var spec in StaticPods.ControlPlane)
        {
            var path = OperatorPath(spec);
            var obj = Api.Get(path);
            if (obj is null) continue;
            var before = obj.DeepClone();
            var status = obj["status"] as JsonObject ?? [];
            obj["status"] = status;
            var nodeStatuses = status["nodeStatuses"] as JsonArray ?? [];
            status["nodeStatuses"] = nodeStatuses;

            foreach (var gone in nodeStatuses.OfType<JsonObject>().Where(n => !controlPlaneNodes.Contains((string?)n["nodeName"] ?? "")).ToList())
                nodeStatuses.Remove(gone);
            foreach (var name in controlPlaneNodes.Where(n => !nodeStatuses.OfType<JsonObject>().Any(s => (string?)s["nodeName"] == n)))
                nodeStatuses.Add(new JsonObject { ["nodeName"] = name, ["currentRevision"] = 0 });

            var latest = JsonNumbers.Long(status["latestAvailableRevision"]) ?? 0;
            if (_forcedRedeployments.Remove(spec.Resource))
            {
                latest++;
                status["latestAvailableRevision"] = latest;
                CreateRevisionStatus(spec, latest, (string?)obj["spec"]?["forceRedeploymentReason"] ?? "");
                _installs.Remove(spec.Resource);
            }

            ProgressInstall(spec, obj, nodeStatuses, latest);

            var revisions = nodeStatuses.OfType<JsonObject>().Select(n => JsonNumbers.Long(n["currentRevision"]) ?? 0).ToList();
            var progressing = revisions.Any(r => r != latest);
            var message = StaticPodRolloutController.Message(revisions, latest);
            Conditions.Set(status, StaticPodRolloutController.ConditionType, progressing ? "True" : "False",
                progressing ? "NodeInstaller" : "AllNodesAtLatestRevision", message, Now);
            var blocked = _blocked.GetValueOrDefault(spec.Resource);
            Conditions.Set(status, "NodeInstallerDegraded", blocked is null ? "False" : "True", blocked is null ? "AsExpected" : "InstallerBlocked", blocked ?? "", Now);

            if (JsonNode.DeepEquals(before, obj)) continue;
            Api.Put(path, obj);
            changed = true;
        }
        return changed;
    }

    private void CreateRevisionStatus(StaticPodSpec spec, long revision, string reason) =>
        Api.Put(RevisionStatusPath(spec, revision), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["data"] = new JsonObject
            {
                ["revision"] = revision.ToString(CultureInfo.InvariantCulture),
                ["status"] = "InProgress",
                ["reason"] = reason.Length > 0 ? "forced redeployment: " + reason : "",
            },
        });

    /// <summary>When a revision was created (its revision-status configmap); null when unknown.</summary>
    internal DateTimeOffset? RevisionCreatedAt(StaticPodSpec spec, long revision)
    {
        var created = (string?)Api.Get(RevisionStatusPath(spec, revision))?["metadata"]?["creationTimestamp"];
        return created is null ? null : DateTimeOffset.Parse(created, CultureInfo.InvariantCulture);
    }

    private void ProgressInstall(StaticPodSpec spec, JsonObject obj, JsonArray nodeStatuses, long latest)
    {
        JsonObject? StatusOf(string node) => nodeStatuses.OfType<JsonObject>().FirstOrDefault(s => (string?)s["nodeName"] == node);

        if (_installs.TryGetValue(spec.Resource, out var install))
        {
            var nodeStatus = StatusOf(install.Node);
            if (install.Revision != latest || nodeStatus is null)
            {
                _installs.Remove(spec.Resource);
            }
            else
            {
                var node = Node(install.Node);
                var pod = node?.ActivePod(spec.Kind == PodKind.Etcd ? PodKind.Etcd : spec.Kind);
                var main = pod?.Revision == install.Revision ? pod.Container(MainContainer(spec)) : null;
                if (main is not null && main.IsReady(Now) && Now >= install.Started + Clock.Scale(RolloutStepDelay))
                {
                    nodeStatus["currentRevision"] = latest;
                    nodeStatus.Remove("targetRevision");
                    _installs.Remove(spec.Resource);
                    var revisionStatus = Api.Get(RevisionStatusPath(spec, latest));
                    if (revisionStatus is not null && (string?)revisionStatus["data"]?["status"] != "Succeeded"
                        && nodeStatuses.OfType<JsonObject>().All(s => JsonNumbers.Long(s["currentRevision"]) == latest))
                    {
                        revisionStatus["data"]!["status"] = "Succeeded";
                        Api.Put(RevisionStatusPath(spec, latest), revisionStatus);
                    }
                }
                else if ((main is not null && IsCrashLooping(main) && main.Attempt >= 2) || Now > install.Started + Clock.Scale(InstallTimeout) || node is not { IsUp: true })
                {
                    nodeStatus["lastFailedRevision"] = latest;
                    nodeStatus["lastFailedTime"] = Conditions.Timestamp(Now);
                    nodeStatus["lastFailedReason"] = "OperandFailed";
                    nodeStatus["lastFailedRevisionErrors"] = new JsonArray($"static pod of revision {latest} did not become ready on {install.Node}");
                    nodeStatus.Remove("targetRevision");
                    _installs.Remove(spec.Resource);
                    _retryAt[spec.Resource + "/" + install.Node] = Now + Clock.Scale(RetryAfterFailure);
                }
                return;
            }
        }

        _blocked.Remove(spec.Resource);
        var reasons = new List<string>();
        foreach (var nodeStatus in nodeStatuses.OfType<JsonObject>())
        {
            var name = (string?)nodeStatus["nodeName"] ?? "";
            if ((JsonNumbers.Long(nodeStatus["currentRevision"]) ?? 0) == latest) continue;
            if (_retryAt.TryGetValue(spec.Resource + "/" + name, out var retry) && Now < retry) continue;
            var node = Node(name);
            if (node is null || !node.KubeletActive || !NodeReadyInApi(name))
            {
                reasons.Add($"node {name} is not ready: the installer pod for revision {latest} cannot run there");
                continue;
            }
            if (spec.Kind == PodKind.Etcd && EtcdInstallBlocked(obj, node) is { } reason)
            {
                reasons.Add(reason);
                continue;
            }
            InstallRevision(node, spec, latest);
            nodeStatus["targetRevision"] = latest;
            _installs[spec.Resource] = new Install(name, latest, Now);
            return;
        }
        if (reasons.Count > 0) _blocked[spec.Resource] = string.Join("; ", reasons);
    }

    private static string MainContainer(StaticPodSpec spec) => spec.Kind switch
    {
        PodKind.Etcd => "etcd",
        PodKind.KubeApiServer => "kube-apiserver",
        PodKind.KubeControllerManager => "kube-controller-manager",
        _ => "kube-scheduler",
    };

    internal static bool QuorumGuardDisabled(JsonObject? etcdOperator) =>
        etcdOperator?["spec"]?["unsupportedConfigOverrides"]?[QuorumGuardOverride] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>
    /// The etcd operator adds a member for a node that has none (needs quorum), and the quorum guard refuses to take
    /// down a member when the cluster could not lose it, unless the unsupported override disables the guard.
    /// </summary>
    private string? EtcdInstallBlocked(JsonObject etcdOperator, Ocp4Node node)
    {
        if (LiveEtcd is not { } live) return "no etcd cluster";
        if (!HasQuorum(live)) return "etcd has no quorum";
        var member = live.Members.FirstOrDefault(m => m.NodeName == node.Name);
        if (member is not null && !member.IsLearner && IsRunning(live, member)
            && RunningVoters(live) - 1 < live.QuorumSize && !QuorumGuardDisabled(etcdOperator))
        {
            return $"EtcdQuorumGuard: restarting etcd on {node.Name} would lose quorum ({RunningVoters(live)} of {live.Voters.Count()} voting members healthy); " +
                   $"set spec.unsupportedConfigOverrides.{QuorumGuardOverride} to roll out anyway";
        }
        if (member is null) AddMember(live, node);
        return null;
    }

    /// <summary>What an installer pod does: the revision's resources, then the manifest the kubelet picks up.</summary>
    internal void InstallRevision(Ocp4Node node, StaticPodSpec spec, long revision)
    {
        var files = node.Host.FileSystem;
        var manifest = StaticPods.Manifest(spec, revision, Release);
        var directory = spec.ResourceDirectory(revision);
        files.WriteFile($"{directory}/{spec.ManifestFile}", manifest);
        files.WriteFile($"{directory}/configmaps/config/config.yaml", $"apiVersion: v1\nkind: {spec.Resource}Config\nrevision: {revision}\n");
        files.WriteFile($"{directory}/configmaps/revision-status/revision", revision.ToString(CultureInfo.InvariantCulture));
        WriteRevisionVersion(node, spec, revision);
        if (spec.Kind == PodKind.Etcd) WriteEtcdSupportFiles(node, revision);
        if (spec.Kind == PodKind.KubeApiServer) WriteKubeApiServerCerts(node);
        files.WriteFile(spec.ManifestPath, manifest);
    }

    /// <summary>
    /// The revision's copy of the operator's <c>&lt;resource&gt;-pod</c> configmap carries the release it was installed by
    /// (key <c>version</c>): how a backup's static_kuberesources tarball tells its z-stream.
    /// </summary>
    private void WriteRevisionVersion(Ocp4Node node, StaticPodSpec spec, long revision) =>
        node.Host.FileSystem.WriteFile(VersionFile(spec, revision), Release.Version);

    internal static string VersionFile(StaticPodSpec spec, long revision) => $"{spec.ResourceDirectory(revision)}/configmaps/{spec.Resource}-pod/version";

    /// <summary>etcd-certs: the scripts' environment (member endpoints now), the restore pod, the recovery scripts.</summary>
    internal void WriteEtcdSupportFiles(Ocp4Node node, long revision)
    {
        var files = node.Host.FileSystem;
        var certs = StaticPods.ResourcesDirectory + "/etcd-certs";
        var endpoints = string.Join(',', (LiveEtcd?.Members ?? []).Select(m => m.ClientUrl));
        files.WriteFile($"{certs}/configmaps/etcd-scripts/etcd.env",
            $"export ALL_ETCD_ENDPOINTS=\"{endpoints}\"\n" +
            "export ETCDCTL_API=\"3\"\n" +
            "export ETCDCTL_CACERT=\"/etc/kubernetes/static-pod-certs/configmaps/etcd-serving-ca/ca-bundle.crt\"\n" +
            $"export ETCDCTL_CERT=\"/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-peer-{node.Name}.crt\"\n" +
            $"export ETCDCTL_KEY=\"/etc/kubernetes/static-pod-certs/secrets/etcd-all-certs/etcd-peer-{node.Name}.key\"\n" +
            $"export ETCDCTL_ENDPOINTS=\"{endpoints}\"\n" +
            $"export ETCD_IMAGE=\"{StaticPods.ImageRef("etcd", Release)}\"\n" +
            $"export NODE_NODE_ENVVAR_NAME_IP=\"{node.Address}\"\n" +
            $"export NODE_NODE_ENVVAR_NAME_ETCD_NAME=\"{node.Name}\"\n" +
            $"export NODE_NODE_ENVVAR_NAME_ETCD_URL_HOST=\"{node.Address}\"\n");
        files.WriteFile($"{certs}/configmaps/etcd-scripts/etcd-common-tools", "# Common environment variables\nASSET_DIR=\"/home/core/assets\"\nCONFIG_FILE_DIR=\"/etc/kubernetes\"\nMANIFEST_DIR=\"${CONFIG_FILE_DIR}/manifests\"\nETCD_DATA_DIR=\"/var/lib/etcd\"\nETCD_DATA_DIR_BACKUP=\"/var/lib/etcd-backup\"\nMANIFEST_STOPPED_DIR=\"${ASSET_DIR}/manifests-stopped\"\n");
        files.WriteFile($"{certs}/configmaps/restore-etcd-pod/pod.yaml", StaticPods.RestoreManifest(revision, Release));
        files.WriteFile($"{certs}/configmaps/etcd-serving-ca/ca-bundle.crt", new LabCertificate("CN=etcd-signer", "CN=etcd-signer", Now - TimeSpan.FromDays(30), Now + TimeSpan.FromDays(1065)).ToPem());
        files.WriteFile($"{certs}/secrets/etcd-all-certs/etcd-peer-{node.Name}.crt", new LabCertificate($"CN=system:etcd-peer:{node.Name}", "CN=etcd-signer", Now - TimeSpan.FromDays(30), Now + TimeSpan.FromDays(1065)).ToPem());
        foreach (var script in new[] { "cluster-backup.sh", "cluster-restore.sh" })
            files.WriteFile("/usr/local/bin/" + script, "#!/usr/bin/env bash\n\n### Created by cluster-etcd-operator. DO NOT edit.\n\n# Simulated by RecoveryConsole's lab: the program of this name runs instead.\n");
    }

    internal static void WriteKubeApiServerCerts(Ocp4Node node)
    {
        var files = node.Host.FileSystem;
        var dir = StaticPods.ResourcesDirectory + "/kube-apiserver-certs/secrets/node-kubeconfigs";
        foreach (var (name, server) in new[] { ("localhost.kubeconfig", "https://localhost:6443"), ("localhost-recovery.kubeconfig", "https://localhost:6443"), ("lb-int.kubeconfig", "https://api-int:6443") })
        {
            files.WriteFile($"{dir}/{name}",
                $"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: bGFi\n    server: {server}\n  name: {name.Replace(".kubeconfig", "", StringComparison.Ordinal)}\n" +
                "contexts:\n- context:\n    cluster: localhost\n    user: system:admin\n  name: system:admin\ncurrent-context: system:admin\nkind: Config\n");
        }
    }
}
