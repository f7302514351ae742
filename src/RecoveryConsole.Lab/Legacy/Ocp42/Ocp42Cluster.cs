using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>What an etcd-member's data directory says it is (read from /var/lib/etcd/member/snap/db).</summary>
public sealed record Ocp42EtcdData(string ClusterId, string MemberId, string Backup);

/// <summary>One etcd cluster as its members agreed it (a restore makes a new one, with a new id).</summary>
public sealed class Ocp42EtcdCluster(string id)
{
    public string Id { get; } = id;
    public List<(string Id, string Name, string PeerUrl, string Host)> Members { get; } = [];

    /// <summary>For a multi-member restore: when each member's restore started (members restored too late fail).</summary>
    public Dictionary<string, DateTimeOffset> RestoreStarts { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A simulated OpenShift 4.2/4.3 cluster: the etcd-member static pod and its data directory on each master, the
/// etcd-snapshot-backup.sh / etcd-snapshot-restore.sh / tokenize-signer.sh / etcd-member-recover.sh scripts, the
/// etcd-signer pod, the recovery API server started with podman, regenerate-certificates, recover-kubeconfig.sh,
/// kubelets with their certificates and CSRs, and MachineConfigPools.
/// </summary>
public sealed partial class Ocp42Cluster : ILabClusterModel, ILabApiGate
{
    public const string ModelKind = "ocp42";
    public const string Manifests = "/etc/kubernetes/manifests";
    public const string EtcdManifest = "/etc/kubernetes/manifests/etcd-member.yaml";
    public const string EtcdDb = "/var/lib/etcd/member/snap/db";
    public const string KubeletPki = "/var/lib/kubelet/pki";
    public const string SignerPodPath = "/api/v1/namespaces/openshift-config/pods/etcd-signer";
    public const string KubeletCaConfigMap = "/api/v1/namespaces/openshift-kube-apiserver-operator/configmaps/kube-apiserver-to-kubelet-client-ca";
    public const string RenderedMaster = "rendered-master-50e7e00374e80b767fcc922bdfbc522b";
    public const string RenderedWorker = "rendered-worker-9d2f3a8e0c4b61b7f5a2c8d1e3f4a5b6";

    /// <summary>Restores of one multi-member INITIAL_CLUSTER must all start within this (simulated) time of the first.</summary>
    public static readonly TimeSpan RestoreWindow = TimeSpan.FromMinutes(5);

    private static readonly string[] StaticPods = ["kube-apiserver-pod.yaml", "kube-controller-manager-pod.yaml", "kube-scheduler-pod.yaml"];

    private readonly Dictionary<string, Ocp42EtcdCluster> _clusters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeletState> _kubelets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokenizedSigner = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recoveryApiserver = new(StringComparer.Ordinal);
    private int _csrCounter;
    private bool _attached = true;

    private Ocp42Cluster(LabCluster cluster) => Cluster = cluster;

    public string Kind => ModelKind;
    public LabCluster Cluster { get; }
    internal object Sync => Cluster.Api.SyncRoot;
    internal DateTimeOffset Now => Cluster.Clock.UtcNow;

    /// <summary>The control-plane serving certificates have expired (cluster off past the first rotation).</summary>
    public bool ControlPlaneCertificatesExpired { get; private set; }

    /// <summary>regenerate-certificates ran against the recovery API server.</summary>
    public bool CertificatesRegenerated { get; private set; }

    /// <summary>The kubeconfig recover-kubeconfig.sh printed (what /etc/kubernetes/kubeconfig must hold on every master).</summary>
    public string? RecoveredKubeconfig { get; private set; }

    public IReadOnlyList<string> MasterNames => Masters.Select(h => h.Name).ToList();
    public IEnumerable<LabHost> Masters => Cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.ControlPlane)).OrderBy(h => h.Name, StringComparer.Ordinal);
    public IEnumerable<LabHost> Nodes => Cluster.Hosts.OrderBy(h => h.Name, StringComparer.Ordinal);

    public static bool Accepts(LabCluster cluster) =>
        cluster.Info.Product == "openshift" && (cluster.Info.Version.StartsWith("4.2.", StringComparison.Ordinal) || cluster.Info.Version.StartsWith("4.3.", StringComparison.Ordinal));

    public static Ocp42Cluster Attach(LabCluster cluster, LabOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var model = new Ocp42Cluster(cluster);
        lock (model.Sync)
        {
            model.Seed();
            Ocp42Commands.Register(cluster.Commands, model);
            cluster.Api.Gate = model;
            model.Reconcile();
        }
        return model;
    }

    public void Detach()
    {
        lock (Sync)
        {
            _attached = false;
            if (ReferenceEquals(Cluster.Api.Gate, this)) Cluster.Api.Gate = null;
        }
    }

    public string EtcdName(string host) => $"etcd-member-{host}";
    public int Index(string host) => Masters.ToList().FindIndex(h => h.Name == host);
    public string PeerUrl(string host) => $"https://etcd-{Index(host)}.{Cluster.Info.Name}.lab.example:2380";

    /// <summary>The member list an operator would export as INITIAL_CLUSTER for <paramref name="hosts"/>.</summary>
    public string InitialCluster(params string[] hosts) => string.Join(',', hosts.Select(h => $"{EtcdName(h)}={PeerUrl(h)}"));

    internal static string Hex(string seed, int length = 16) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..length].ToLowerInvariant().TrimStart('0');

    // ---- etcd state ----

    public Ocp42EtcdData? DataOf(LabHost host)
    {
        if (!host.FileSystem.TryReadFile(EtcdDb, out var text)) return null;
        string? Field(string name) => text.Split(' ', '\n').FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        return Field("cluster") is { } c && Field("member") is { } m ? new Ocp42EtcdData(c, m, Field("backup") ?? "") : null;
    }

    /// <summary>True when the etcd-member container runs on the host: manifest, data, certificates, and no failed start.</summary>
    public bool EtcdRunning(LabHost host) =>
        host.Reachable && host.FileSystem.FileExists(EtcdManifest) && DataOf(host) is not null &&
        host.FileSystem.FilesUnder("/etc/ssl/etcd").Any(f => f.Contains("peer", StringComparison.Ordinal)) && !_failedMembers.Contains(host.Name);

    /// <summary>The etcd cluster most running members belong to (the one the API server uses).</summary>
    public Ocp42EtcdCluster? LiveCluster
    {
        get
        {
            lock (Sync)
            {
                return Masters.Where(EtcdRunning).Select(h => DataOf(h)!.ClusterId).GroupBy(id => id)
                    .OrderByDescending(g => g.Count()).Select(g => _clusters.GetValueOrDefault(g.Key)).FirstOrDefault(c => c is not null);
            }
        }
    }

    public int RunningMembers(Ocp42EtcdCluster cluster) =>
        Masters.Count(h => EtcdRunning(h) && DataOf(h)!.ClusterId == cluster.Id && cluster.Members.Any(m => m.Host == h.Name && m.Id == DataOf(h)!.MemberId));

    public bool HasQuorum => LiveCluster is { } c && RunningMembers(c) * 2 > c.Members.Count;

    /// <summary>A kube-apiserver answers with a valid certificate (or the recovery API server does) and etcd has quorum.</summary>
    public bool ApiServing
    {
        get
        {
            lock (Sync)
            {
                var apiserver = Masters.Any(h => h.Reachable && h.FileSystem.FileExists($"{Manifests}/kube-apiserver-pod.yaml")) || _recoveryApiserver.Count > 0;
                return apiserver && HasQuorum;
            }
        }
    }

    public bool RecoveryApiserverRunning
    {
        get { lock (Sync) return _recoveryApiserver.Count > 0; }
    }

    ApiResponse? ILabApiGate.Admit(ApiRequest request)
    {
        Reconcile();
        if (!_attached) return null;
        if (!Masters.Any(h => h.Reachable && h.FileSystem.FileExists($"{Manifests}/kube-apiserver-pod.yaml")) && _recoveryApiserver.Count == 0)
            throw new ApiUnreachableException(Cluster.Api.Server, $"dial tcp {Masters.First().Address}:6443: connect: connection refused");
        if (ControlPlaneCertificatesExpired && _recoveryApiserver.Count == 0)
            throw new ApiUnreachableException(Cluster.Api.Server, "x509: certificate has expired or is not yet valid");
        if (!HasQuorum)
            return new ApiResponse(500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"etcdserver: request timed out\",\"code\":500}");
        return null;
    }

    // ---- faults ----

    public void LoseHosts(IEnumerable<string> hosts)
    {
        lock (Sync)
        {
            foreach (var host in hosts)
            {
                Cluster.Host(host).Reachable = false;
                _lost.Add(host);
            }
            Reconcile();
        }
    }

    /// <summary>etcd-snapshot-backup.sh as it would have run earlier, with the same snapshot copied to each host.</summary>
    public void WriteBackup(IEnumerable<string> hosts, string directory)
    {
        lock (Sync)
        {
            var stamp = Now.AddDays(-1).ToString("yyyy-MM-dd_HHmmss", System.Globalization.CultureInfo.InvariantCulture);
            var backup = $"backup-{stamp}";
            foreach (var host in hosts) WriteBackupFiles(Cluster.Host(host), directory, stamp, backup);
        }
    }

    /// <summary>What each snapshot holds (the etcd keyspace at its revision), by the backup id its files name.</summary>
    private readonly Dictionary<string, (IReadOnlyDictionary<string, JsonObject> Objects, long Revision)> _snapshots = new(StringComparer.Ordinal);

    internal void WriteBackupFiles(LabHost host, string directory, string stamp, string backup)
    {
        var revision = Cluster.Api.Revision;
        if (!_snapshots.ContainsKey(backup))
            _snapshots[backup] = (Cluster.Api.ExportObjects().ToDictionary(kv => kv.Key, kv => (JsonObject)kv.Value.DeepClone(), StringComparer.Ordinal), revision);
        host.FileSystem.WriteFile($"{directory}/snapshot_{stamp}.db", $"etcd-snapshot backup={backup} revision={revision} config={RenderedMaster}\n");
        host.FileSystem.WriteFile($"{directory}/static_kuberesources_{stamp}.tar.gz",
            "tar.gz\nstatic-pod-resources/kube-apiserver-pod-7/\nstatic-pod-resources/kube-controller-manager-pod-5/\nstatic-pod-resources/kube-scheduler-pod-6/\nstatic-pod-resources/etcd-member/\n");
    }

    /// <summary>The cluster was off for weeks: the control plane's and every kubelet's certificates expired.</summary>
    public void ExpireCertificates()
    {
        lock (Sync)
        {
            ControlPlaneCertificatesExpired = true;
            foreach (var node in Nodes) _kubelets[node.Name] = new KubeletState { Expired = true };
            Reconcile();
        }
    }

    // ---- seed ----

    private void Seed()
    {
        var masters = Masters.ToList();
        var clusterId = Hex("seed-" + Cluster.Info.Name);
        var cluster = new Ocp42EtcdCluster(clusterId);
        _clusters[clusterId] = cluster;
        foreach (var host in masters)
            cluster.Members.Add((Hex(clusterId + EtcdName(host.Name)), EtcdName(host.Name), PeerUrl(host.Name), host.Name));

        foreach (var host in Cluster.Hosts)
        {
            var fs = host.FileSystem;
            foreach (var f in fs.FilesUnder(Manifests)) fs.Delete(f); // the generic 4.x seed's etcd-pod.yaml
            fs.WriteFile("/var/lib/kubelet/pki/kubelet-client-current.pem", $"(kubelet client certificate of {host.Name})\n");
            fs.WriteFile("/var/lib/kubelet/pki/kubelet-server-current.pem", $"(kubelet serving certificate of {host.Name})\n");
            fs.WriteFile("/var/lib/kubelet/kubeconfig", "apiVersion: v1\nkind: Config\n");
            fs.WriteFile("/etc/kubernetes/kubeconfig", "apiVersion: v1\nkind: Config\n# bootstrap kubeconfig (installer)\n");
            fs.WriteFile("/etc/kubernetes/kubelet-ca.crt", KubeletCa(1));
            _kubelets[host.Name] = new KubeletState();
            if (!host.Roles.Contains(HostRoles.ControlPlane)) continue;
            SeedMaster(host);
            fs.WriteFile(EtcdDb, $"cluster={clusterId} member={cluster.Members.First(m => m.Host == host.Name).Id} backup=live\n");
            WriteEtcdCerts(host);
        }
        foreach (var csr in Cluster.Api.ListObjects("/apis/certificates.k8s.io/v1/certificatesigningrequests"))
            Cluster.Api.Remove($"/apis/certificates.k8s.io/v1/certificatesigningrequests/{(string?)csr["metadata"]?["name"]}");
        Cluster.Api.Put("/api/v1/namespaces/openshift-kube-apiserver-operator", new JsonObject { ["spec"] = new JsonObject(), ["status"] = new JsonObject { ["phase"] = "Active" } });
        Cluster.Api.Put(KubeletCaConfigMap, new JsonObject { ["data"] = new JsonObject { ["ca-bundle.crt"] = KubeletCa(1) } });
        foreach (var pool in new[] { "master", "worker" })
            Cluster.Api.Put($"/apis/machineconfiguration.openshift.io/v1/machineconfigpools/{pool}", new JsonObject
            {
                ["spec"] = new JsonObject { ["configuration"] = new JsonObject { ["name"] = pool == "master" ? RenderedMaster : RenderedWorker } },
                ["status"] = new JsonObject(),
            });
    }

    internal void SeedMaster(LabHost host)
    {
        var fs = host.FileSystem;
        fs.WriteFile(EtcdManifest,
            $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd-member\n  namespace: openshift-etcd\n  labels:\n    k8s-app: etcd\nspec:\n  containers:\n  - name: etcd-member\n    image: {Ocp42Release.Components["etcd"]}\n    env:\n    - name: ETCD_NAME\n      value: {EtcdName(host.Name)}\n  hostNetwork: true\n");
        foreach (var pod in StaticPods)
            fs.WriteFile($"{Manifests}/{pod}", $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod[..^9]}\n  namespace: openshift-{pod[..^9]}\n");
        foreach (var script in new[] { "etcd-snapshot-backup.sh", "etcd-snapshot-restore.sh", "tokenize-signer.sh", "etcd-member-recover.sh", "recover-kubeconfig.sh" })
            fs.WriteFile($"/usr/local/bin/{script}", "#!/usr/bin/env bash\n# (simulated by the lab)\n");
        fs.WriteFile("/usr/local/share/openshift-recovery/template/kube-etcd-cert-signer.yaml.template", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd-signer\n  namespace: openshift-config\nspec:\n  nodeName: __NODE_NAME__\n");
        fs.WriteFile("/usr/local/share/openshift-recovery/template/etcd-generate-certs.yaml.template", "(template)\n");
        fs.WriteFile("/etc/etcd/etcd.conf", "");
        fs.WriteFile(PullSecretPath, "{\"auths\":{\"quay.io\":{\"auth\":\"(lab pull secret)\"}}}\n"); // oc adm release info --registry-config
    }

    internal void WriteEtcdCerts(LabHost host)
    {
        var i = Index(host.Name);
        host.FileSystem.WriteFile("/etc/ssl/etcd/ca.crt", "(etcd-signer ca)\n");
        host.FileSystem.WriteFile($"/etc/ssl/etcd/system:etcd-peer:etcd-{i}.{Cluster.Info.Name}.lab.example.crt", "(peer)\n");
        host.FileSystem.WriteFile($"/etc/ssl/etcd/system:etcd-peer:etcd-{i}.{Cluster.Info.Name}.lab.example.key", "(peer key)\n");
        host.FileSystem.WriteFile($"/etc/ssl/etcd/system:etcd-server:etcd-{i}.{Cluster.Info.Name}.lab.example.crt", "(server)\n");
        host.FileSystem.WriteFile($"/etc/ssl/etcd/system:etcd-server:etcd-{i}.{Cluster.Info.Name}.lab.example.key", "(server key)\n");
    }

    internal static string KubeletCa(int generation) =>
        $"-----BEGIN CERTIFICATE-----\nMIIDMDCCAhigAwIBAgIIKubeletClientCa{generation}\n-----END CERTIFICATE-----\n";

    internal void MarkRecoveryApiserver(string host, bool running)
    {
        if (running) _recoveryApiserver.Add(host);
        else _recoveryApiserver.Remove(host);
    }

    internal void MarkRegenerated()
    {
        CertificatesRegenerated = true;
        Cluster.Api.Put(KubeletCaConfigMap, new JsonObject { ["data"] = new JsonObject { ["ca-bundle.crt"] = KubeletCa(2) } });
    }

    internal void SetRecoveredKubeconfig(string text) => RecoveredKubeconfig = text;
}
