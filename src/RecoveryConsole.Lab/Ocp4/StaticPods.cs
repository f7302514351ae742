using System.Globalization;
using System.Text;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>What a pod is to the simulation: decides what its containers do when they start.</summary>
internal enum PodKind
{
    Etcd,
    RestoreEtcd,
    KubeApiServer,
    KubeControllerManager,
    KubeScheduler,
    Keepalived,
    OvnkubeNode,
    OvnkubeControlPlane,
    Guard,
    Operator,
    Generic,
}

/// <summary>A container of a pod: how long it takes to start, to become ready, and to stop after SIGTERM.</summary>
internal sealed record ContainerSpec(string Name, TimeSpan StartDelay, TimeSpan StopGrace, TimeSpan ReadyDelay)
{
    public static ContainerSpec Quick(string name) => new(name, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.Zero);
}

/// <summary>
/// One of the control-plane static pods the operators install in <c>/etc/kubernetes/manifests</c>: its manifest
/// file, pod name and namespace, its operator resource, and its containers with shutdown times that give the dot
/// counts of the document's cluster-restore.sh output (kube-apiserver takes about two minutes to stop).
/// </summary>
internal sealed record StaticPodSpec(
    string Resource,
    string ManifestFile,
    string PodName,
    string Namespace,
    string OperatorResource,
    string ClusterOperator,
    IReadOnlyList<(string Key, string Value)> Labels,
    PodKind Kind)
{
    public string ResourceDirectory(long revision) =>
        $"/etc/kubernetes/static-pod-resources/{Resource}-pod-{revision.ToString(CultureInfo.InvariantCulture)}";

    public string MirrorPodName(string node) => $"{PodName}-{node}";

    public string ManifestPath => StaticPods.ManifestDirectory + "/" + ManifestFile;
}

internal static class StaticPods
{
    public const string ManifestDirectory = "/etc/kubernetes/manifests";
    public const string ResourcesDirectory = "/etc/kubernetes/static-pod-resources";
    public const string ImageRepository = "quay.io/openshift-release-dev/ocp-v4.0-art-dev";

    private static readonly TimeSpan S1 = TimeSpan.FromSeconds(1), S2 = TimeSpan.FromSeconds(2), S3 = TimeSpan.FromSeconds(3), S5 = TimeSpan.FromSeconds(5);

    public static readonly StaticPodSpec Etcd = new("etcd", "etcd-pod.yaml", "etcd", "openshift-etcd", "etcds", "etcd",
        [("app", "etcd"), ("k8s-app", "etcd"), ("etcd", "true")], PodKind.Etcd);

    public static readonly StaticPodSpec KubeApiServer = new("kube-apiserver", "kube-apiserver-pod.yaml", "kube-apiserver", "openshift-kube-apiserver",
        "kubeapiservers", "kube-apiserver", [("app", "openshift-kube-apiserver"), ("apiserver", "true")], PodKind.KubeApiServer);

    public static readonly StaticPodSpec KubeControllerManager = new("kube-controller-manager", "kube-controller-manager-pod.yaml", "kube-controller-manager",
        "openshift-kube-controller-manager", "kubecontrollermanagers", "kube-controller-manager",
        [("app", "kube-controller-manager"), ("kube-controller-manager", "true")], PodKind.KubeControllerManager);

    public static readonly StaticPodSpec KubeScheduler = new("kube-scheduler", "kube-scheduler-pod.yaml", "openshift-kube-scheduler", "openshift-kube-scheduler",
        "kubeschedulers", "kube-scheduler", [("app", "openshift-kube-scheduler"), ("scheduler", "true")], PodKind.KubeScheduler);

    /// <summary>The four pods whose operators roll revisions out (the order cluster-backup.sh saves them in).</summary>
    public static readonly IReadOnlyList<StaticPodSpec> ControlPlane = [KubeApiServer, KubeControllerManager, KubeScheduler, Etcd];

    public const string KeepalivedManifest = "keepalived.yaml";
    public const string KeepalivedNamespace = "openshift-vsphere-infra";

    public static StaticPodSpec? ByResource(string resource) => ControlPlane.FirstOrDefault(s => s.Resource == resource);

    public static StaticPodSpec? ByOperatorResource(string plural) => ControlPlane.FirstOrDefault(s => s.OperatorResource == plural);

    /// <summary>The containers of a pod kind, in the order the kubelet starts them.</summary>
    public static IReadOnlyList<ContainerSpec> Containers(PodKind kind, Ocp4Release release, IReadOnlyList<string>? declared = null)
    {
        switch (kind)
        {
            case PodKind.Etcd:
                var etcd = new List<ContainerSpec>
                {
                    new("etcdctl", S2, TimeSpan.FromSeconds(30), TimeSpan.Zero), // "sleep infinity" ignores SIGTERM: killed after the grace period
                    new("etcd", S5, S2, S5),
                    new("etcd-metrics", S2, S1, TimeSpan.Zero),
                    new("etcd-readyz", S2, S1, TimeSpan.Zero),
                };
                if (release.Minor >= 18) etcd.Add(new("etcd-rev", S2, S1, TimeSpan.Zero));
                return etcd;
            case PodKind.RestoreEtcd:
                // The restore pod checks that the snapshot copy stopped growing (sleep 5) before it restores.
                return [new("etcd", TimeSpan.FromSeconds(8), S2, S5)];
            case PodKind.KubeApiServer:
                return
                [
                    new("kube-apiserver", S5, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(15)),
                    ContainerSpec.Quick("kube-apiserver-cert-syncer"),
                    ContainerSpec.Quick("kube-apiserver-cert-regeneration-controller"),
                    ContainerSpec.Quick("kube-apiserver-insecure-readyz"),
                    ContainerSpec.Quick("kube-apiserver-check-endpoints"),
                ];
            case PodKind.KubeControllerManager:
                return
                [
                    new("kube-controller-manager", S3, S1, S3),
                    ContainerSpec.Quick("cluster-policy-controller"),
                    ContainerSpec.Quick("kube-controller-manager-cert-syncer"),
                    ContainerSpec.Quick("kube-controller-manager-recovery-controller"),
                ];
            case PodKind.KubeScheduler:
                return
                [
                    new("kube-scheduler", S3, S1, S3),
                    ContainerSpec.Quick("kube-scheduler-cert-syncer"),
                    ContainerSpec.Quick("kube-scheduler-recovery-controller"),
                ];
            case PodKind.Keepalived:
                return [new("keepalived", S2, S2, TimeSpan.Zero), ContainerSpec.Quick("keepalived-monitor")];
            case PodKind.OvnkubeNode:
                return
                [
                    ContainerSpec.Quick("ovn-controller"), ContainerSpec.Quick("ovn-acl-logging"), ContainerSpec.Quick("kube-rbac-proxy-node"),
                    ContainerSpec.Quick("kube-rbac-proxy-ovn-metrics"), ContainerSpec.Quick("northd"), ContainerSpec.Quick("nbdb"),
                    ContainerSpec.Quick("sbdb"), new("ovnkube-controller", S3, S2, S3),
                ];
            case PodKind.OvnkubeControlPlane:
                return [ContainerSpec.Quick("kube-rbac-proxy"), new("ovnkube-cluster-manager", S3, S2, S3)];
            case PodKind.Guard:
                return [ContainerSpec.Quick("guard")];
            default:
                return (declared ?? []).Select(ContainerSpec.Quick).ToList();
        }
    }

    public static string Image(string component, Ocp4Release release) => LabIds.Digest($"{component}@{release.Version}");

    public static string ImageRef(string component, Ocp4Release release) => $"{ImageRepository}@sha256:{Image(component, release)}";

    /// <summary>The manifest the installer writes for revision <paramref name="revision"/> of a control-plane pod.</summary>
    public static string Manifest(StaticPodSpec spec, long revision, Ocp4Release release)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Pod\nmetadata:\n");
        sb.Append("  name: ").Append(spec.PodName).Append('\n');
        sb.Append("  namespace: ").Append(spec.Namespace).Append('\n');
        sb.Append("  annotations:\n    kubectl.kubernetes.io/default-container: ").Append(spec.Kind == PodKind.Etcd ? "etcd" : spec.Resource).Append('\n');
        sb.Append("  labels:\n");
        foreach (var (key, value) in spec.Labels) sb.Append("    ").Append(key).Append(": ").Append(Quote(value)).Append('\n');
        sb.Append("    revision: \"").Append(revision.ToString(CultureInfo.InvariantCulture)).Append("\"\n");
        sb.Append("spec:\n  containers:\n");
        foreach (var container in Containers(spec.Kind, release))
        {
            sb.Append("  - name: ").Append(container.Name).Append('\n');
            sb.Append("    image: ").Append(ImageRef(spec.Resource, release)).Append('\n');
        }
        sb.Append("  hostNetwork: true\n  priorityClassName: system-node-critical\n  tolerations:\n  - operator: Exists\n");
        sb.Append("  volumes:\n");
        sb.Append("  - hostPath:\n      path: ").Append(spec.ResourceDirectory(revision)).Append("\n    name: resource-dir\n");
        sb.Append("  - hostPath:\n      path: ").Append(ResourcesDirectory).Append('/').Append(spec.Resource).Append("-certs\n    name: cert-dir\n");
        if (spec.Kind == PodKind.Etcd)
        {
            sb.Append("  - hostPath:\n      path: /var/lib/etcd\n      type: \"\"\n    name: data-dir\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// The restore pod of <c>etcd-certs/configmaps/restore-etcd-pod/pod.yaml</c>: one etcd container that restores
    /// /var/lib/etcd-backup/snapshot.db into an empty /var/lib/etcd as a new single-member cluster, then runs it.
    /// </summary>
    public static string RestoreManifest(long revision, Ocp4Release release)
    {
        var image = ImageRef("etcd", release);
        return $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: etcd
              namespace: openshift-etcd
              labels:
                app: etcd
                k8s-app: etcd
                etcd: "true"
                revision: "{{revision.ToString(CultureInfo.InvariantCulture)}}"
            spec:
              containers:
              - name: etcd
                image: {{image}}
                command:
                  - /bin/sh
                  - -c
                  - |
                    #!/bin/sh
                    set -euo pipefail
                    # checking if data directory is empty, if not etcdctl restore will fail
                    if [ ! -z $(ls -A "/var/lib/etcd") ]; then
                      echo "please delete the contents of data directory before restoring, running the restore script will do this for you"
                      exit 1
                    fi
                    UUID=$(uuidgen)
                    echo "restoring to a single node cluster"
                    ETCDCTL_API=3 /usr/bin/etcdctl snapshot restore /var/lib/etcd-backup/snapshot.db \
                     --name  $ETCD_NAME \
                     --initial-cluster=$ETCD_INITIAL_CLUSTER \
                     --initial-cluster-token "openshift-etcd-${UUID}" \
                     --initial-advertise-peer-urls $ETCD_NODE_PEER_URL \
                     --data-dir="/var/lib/etcd/restore-${UUID}"
                    mv /var/lib/etcd/restore-${UUID}/* /var/lib/etcd/
                    rmdir /var/lib/etcd/restore-${UUID}
                    rm /var/lib/etcd-backup/snapshot.db
                    exec etcd
              hostNetwork: true
              priorityClassName: system-node-critical
              tolerations:
              - operator: "Exists"
              volumes:
                - hostPath:
                    path: /etc/kubernetes/manifests
                  name: static-pod-dir
                - hostPath:
                    path: /etc/kubernetes/static-pod-resources/etcd-certs
                  name: cert-dir
                - hostPath:
                    path: /var/lib/etcd
                    type: ""
                  name: data-dir
                - hostPath:
                    path: /var/lib/etcd-backup
                    type: ""
                  name: backup-dir

            """;
    }

    public static string KeepalivedManifestText(Ocp4Release release) =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: keepalived\n  namespace: " + KeepalivedNamespace + "\n" +
        "  labels:\n    app: vsphere-infra-vrrp\nspec:\n  containers:\n" +
        "  - name: keepalived\n    image: " + ImageRef("keepalived", release) + "\n" +
        "  - name: keepalived-monitor\n    image: " + ImageRef("baremetal-runtimecfg", release) + "\n" +
        "  hostNetwork: true\n  priorityClassName: system-node-critical\n  volumes:\n" +
        "  - hostPath:\n      path: /etc/keepalived\n    name: conf-dir\n";

    private static string Quote(string value) => value is "true" or "false" || value.All(char.IsDigit) ? $"\"{value}\"" : value;
}

/// <summary>A manifest as the kubelet reads it: enough to run the pod it describes.</summary>
internal sealed record ParsedManifest(
    string FileName,
    string PodName,
    string Namespace,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Containers,
    IReadOnlyList<string> HostPaths,
    int ContentHash)
{
    public long? Revision => Labels.TryGetValue("revision", out var r) && long.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public PodKind Kind => (Namespace, PodName) switch
    {
        ("openshift-etcd", "etcd") when HostPaths.Contains("/var/lib/etcd-backup") => PodKind.RestoreEtcd,
        ("openshift-etcd", "etcd") => PodKind.Etcd,
        ("openshift-kube-apiserver", "kube-apiserver") => PodKind.KubeApiServer,
        ("openshift-kube-controller-manager", "kube-controller-manager") => PodKind.KubeControllerManager,
        ("openshift-kube-scheduler", "openshift-kube-scheduler") => PodKind.KubeScheduler,
        (_, "keepalived") => PodKind.Keepalived,
        _ => PodKind.Generic,
    };

    /// <summary>The static-pod-resources revision directory the manifest mounts, if any.</summary>
    public string? ResourceDirectory => HostPaths.FirstOrDefault(p => p.StartsWith(StaticPods.ResourcesDirectory + "/", StringComparison.Ordinal) && p.Contains("-pod-", StringComparison.Ordinal));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, Tuple<string, ParsedManifest?>> Parsed = new();

    /// <summary>Reads the subset of pod YAML the lab writes; null when the text is no pod manifest. Cached per file text.</summary>
    public static ParsedManifest? Parse(string fileName, string text)
    {
        if (Parsed.TryGetValue(text, out var cached) && cached.Item1 == fileName) return cached.Item2;
        var result = ParseText(fileName, text);
        Parsed.AddOrUpdate(text, Tuple.Create(fileName, result));
        return result;
    }

    private static ParsedManifest? ParseText(string fileName, string text)
    {
        string? name = null, ns = null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var containers = new List<string>();
        var paths = new List<string>();
        var section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var indent = line.Length - line.TrimStart().Length;
            var trimmed = line.Trim();
            if (indent == 0)
            {
                section = trimmed.TrimEnd(':');
                continue;
            }
            if (section == "metadata")
            {
                if (indent == 2 && trimmed.StartsWith("name:", StringComparison.Ordinal)) name = Value(trimmed);
                else if (indent == 2 && trimmed.StartsWith("namespace:", StringComparison.Ordinal)) ns = Value(trimmed);
                else if (indent == 2) section = trimmed == "labels:" ? "metadata.labels" : "metadata";
            }
            else if (section == "metadata.labels")
            {
                if (indent < 4)
                {
                    section = "metadata";
                    if (trimmed.StartsWith("name:", StringComparison.Ordinal)) name = Value(trimmed);
                    else if (trimmed.StartsWith("namespace:", StringComparison.Ordinal)) ns = Value(trimmed);
                    continue;
                }
                var colon = trimmed.IndexOf(':');
                if (colon > 0) labels[trimmed[..colon]] = Value(trimmed);
            }
            else if (section is "spec" or "spec.containers" or "spec.volumes")
            {
                if (indent == 2 && !trimmed.StartsWith('-')) section = trimmed == "containers:" ? "spec.containers" : trimmed == "volumes:" ? "spec.volumes" : "spec";
                else if (section == "spec.containers" && indent == 2 && trimmed.StartsWith("- name:", StringComparison.Ordinal)) containers.Add(Value(trimmed[2..]));
                else if (section == "spec.volumes" && trimmed.StartsWith("path:", StringComparison.Ordinal)) paths.Add(Value(trimmed));
            }
        }
        if (name is null || ns is null || containers.Count == 0) return null;
        return new ParsedManifest(fileName, name, ns, labels, containers, paths, LabIds.StableHash(text));
    }

    private static string Value(string line)
    {
        var colon = line.IndexOf(':');
        return line[(colon + 1)..].Trim().Trim('"', '\'');
    }
}
