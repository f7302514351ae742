using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4.Commands;
using RecoveryConsole.Lab.Ocp4.Etcd;

namespace RecoveryConsole.Lab.Ocp4;

// The healthy baseline: hosts with their files, a three-member etcd, every control-plane pod at revision 7 running
// for three days, the API objects that go with it, and a backup taken at seed time in /home/core/assets/backup.
public sealed partial class Ocp4Cluster
{
    public const string SeedBackupDirectory = "/home/core/assets/backup";
    internal static readonly TimeSpan SeedUptime = TimeSpan.FromDays(3);
    private readonly List<(LabFileSystem Files, Action<string> Handler)> _subscriptions = [];
    private readonly List<(LabHost Host, Action Handler)> _connecting = [];
    private bool _seeding;

    /// <summary>Objects of the baseline workload: an administrator deleting one is the lab's "something critical".</summary>
    public static readonly IReadOnlyList<string> CriticalObjects =
    [
        "/api/v1/namespaces/shop",
        "/api/v1/namespaces/shop/configmaps/storefront-config",
        "/api/v1/namespaces/shop/secrets/payment-gateway",
    ];

    /// <summary>Builds the model of <paramref name="lab"/>, takes over its API's controllers and gate, and seeds a healthy cluster.</summary>
    internal static Ocp4Cluster Attach(LabCluster lab, LabOptions options)
    {
        var model = new Ocp4Cluster(lab, options);
        lock (model.Gate)
        {
            lab.Api.RemoveControllers<StaticPodRolloutController>();
            Ocp4Commands.Register(lab.Commands, model);
            model.Seed();
            lab.Api.AddController(model);
            lab.Api.Gate = model;
            foreach (var node in model._nodes)
            {
                var n = node;
                Action<string> handler = path => model.OnHostFileChanged(n, path);
                node.Host.FileSystem.Changed += handler;
                model._subscriptions.Add((node.Host.FileSystem, handler));
                Action connecting = () => model.OnConnecting(n);
                node.Host.Connecting += connecting;
                model._connecting.Add((node.Host, connecting));
            }
        }
        return model;
    }

    /// <summary>Disconnects the model from its hosts and API (before the cluster is reset).</summary>
    public void Detach()
    {
        lock (Gate)
        {
            foreach (var (files, handler) in _subscriptions) files.Changed -= handler;
            _subscriptions.Clear();
            foreach (var (host, handler) in _connecting) host.Connecting -= handler;
            _connecting.Clear();
            Api.RemoveControllers<Ocp4Cluster>();
            if (ReferenceEquals(Api.Gate, this)) Api.Gate = null;
            Scheduler.Clear();
        }
    }

    /// <summary>The kubelet watches its manifest directory: a manifest moved in or out is noticed at once.</summary>
    private void OnHostFileChanged(Ocp4Node node, string path)
    {
        if (_seeding || _advancing) return;
        if (path == "/" || path.StartsWith(StaticPods.ManifestDirectory, StringComparison.Ordinal) || StaticPods.ManifestDirectory.StartsWith(path + "/", StringComparison.Ordinal))
        {
            _ = node;
            Sync();
        }
    }

    private void Seed()
    {
        _seeding = true;
        try
        {
            Now = Clock.UtcNow;
            SeedApi();
            var signer = CurrentSigner();
            var issued = Now - TimeSpan.FromDays(10);
            var cluster = new EtcdCluster { ClusterId = Ids.NextUInt64(), FormedAt = Now - TimeSpan.FromDays(30), RaftTerm = 4 };
            foreach (var node in ControlPlane)
            {
                cluster.Members.Add(new EtcdMember
                {
                    Id = Ids.NextUInt64(),
                    Name = node.Name,
                    NodeName = node.Name,
                    PeerUrl = node.PeerUrl,
                    ClientUrl = node.ClientUrl,
                    Started = true,
                    AddedAt = cluster.FormedAt.AddMinutes(node.Index),
                });
            }
            EtcdClusters.Add(cluster);
            LiveEtcd = cluster;

            foreach (var node in _nodes)
            {
                WriteBaseFiles(node);
                WriteKubeletCertificate(node, "client", IssueKubeletCertificate(node, "client", signer, issued));
                WriteKubeletCertificate(node, "server", IssueKubeletCertificate(node, "server", signer, issued));
                if (!node.IsControlPlane) continue;
                var member = cluster.Members.First(m => m.NodeName == node.Name);
                WriteEtcdData(node, cluster, member);
                foreach (var spec in StaticPods.ControlPlane)
                {
                    foreach (var revision in new long[] { LabApiSeed.InitialRevision - 1, LabApiSeed.InitialRevision })
                    {
                        var directory = spec.ResourceDirectory(revision);
                        var manifest = StaticPods.Manifest(spec, revision, Release);
                        node.Host.FileSystem.WriteFile($"{directory}/{spec.ManifestFile}", manifest);
                        node.Host.FileSystem.WriteFile($"{directory}/configmaps/config/config.yaml", $"apiVersion: v1\nkind: {spec.Resource}Config\nrevision: {revision}\n");
                        WriteRevisionVersion(node, spec, revision);
                    }
                    node.Host.FileSystem.WriteFile(spec.ManifestPath, StaticPods.Manifest(spec, LabApiSeed.InitialRevision, Release));
                }
                WriteEtcdSupportFiles(node, LabApiSeed.InitialRevision);
                WriteKubeApiServerCerts(node);
            }

            foreach (var node in _nodes) Boot(node, SeedUptime);
            if (Network.KeepalivedEnabled)
            {
                var controlPlane = ControlPlane.ToList();
                (controlPlane.Count > 1 ? controlPlane[1] : controlPlane[0]).Vips.Add(Network.ApiVip);
                (_nodes.FirstOrDefault(n => n.IsWorker && !n.IsControlPlane) ?? _nodes[0]).Vips.Add(Network.IngressVip);
            }
            foreach (var node in _nodes) SyncWorkloads(node, SeedUptime); // now the API serves: the OVN pods bound to each node
        }
        finally
        {
            _seeding = false;
        }
        ReconcileUntilStable();
        // Mirror pods of the seed look settled too: created with their pods three days ago is not visible, but Ready is.
        var recovery = ControlPlane.First();
        var (code, lines) = TakeBackup(recovery, SeedBackupDirectory, force: false);
        if (code != 0)
            throw new InvalidOperationException("The lab's seed backup failed: " + string.Join(" | ", lines.Select(l => l.Text)));
    }

    /// <summary>Files every host has: kubelet configuration and bootstrap kubeconfig, keepalived's manifest (on-premises).</summary>
    internal void WriteBaseFiles(Ocp4Node node)
    {
        var files = node.Host.FileSystem;
        files.CreateDirectory(PkiDirectory);
        files.CreateDirectory(StaticPods.ManifestDirectory);
        files.WriteFile("/etc/kubernetes/kubelet.conf", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nrotateCertificates: true\nserverTLSBootstrap: true\n");
        files.WriteFile("/etc/kubernetes/kubeconfig",
            $"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: bGFi\n    server: https://api-int.{Lab.Info.Name}.lab.example:6443\n  name: local\n" +
            "contexts:\n- context:\n    cluster: local\n    user: kubelet\n  name: kubelet\ncurrent-context: kubelet\nkind: Config\nusers:\n- name: kubelet\n  user:\n    token: lab-node-bootstrapper-token\n");
        files.WriteFile("/var/lib/kubelet/kubeconfig",
            $"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: bGFi\n    server: https://api-int.{Lab.Info.Name}.lab.example:6443\n  name: local\n" +
            "contexts:\n- context:\n    cluster: local\n    user: kubelet\n  name: kubelet\ncurrent-context: kubelet\nkind: Config\nusers:\n- name: kubelet\n  user:\n    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n");
        if (Network.KeepalivedEnabled)
        {
            files.WriteFile($"{StaticPods.ManifestDirectory}/{StaticPods.KeepalivedManifest}", StaticPods.KeepalivedManifestText(Release));
            files.WriteFile("/etc/keepalived/keepalived.conf", $"vrrp_instance {Lab.Info.Name}_API {{\n    interface {Network.Device}\n    virtual_router_id 42\n    virtual_ipaddress {{\n        {Network.ApiVip}/32\n    }}\n}}\n");
        }
        if (Network.OvnKubernetes) files.CreateDirectory(OvnDatabaseDirectory);
    }

    private void SeedApi()
    {
        foreach (var csr in new[] { "csr-8vnps", "csr-2xqtz" }) Api.Remove($"{CsrPath}/{csr}"); // the generic seed's demo CSRs: a healthy cluster has none pending

        foreach (var ns in new[] { OvnNamespace, "openshift-etcd-operator", "openshift-kube-apiserver-operator", "openshift-config-managed", StaticPods.KeepalivedNamespace, "shop" })
        {
            if (Api.Get($"/api/v1/namespaces/{ns}") is null)
                Api.Put($"/api/v1/namespaces/{ns}", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["spec"] = new JsonObject(), ["status"] = new JsonObject { ["phase"] = "Active" } });
        }

        var signerSince = Now - TimeSpan.FromDays(20);
        var signer = $"CN=kube-csr-signer_@{signerSince.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        SetSigners([signer, "CN=admin-kubeconfig-signer", "CN=kubelet-bootstrap-kubeconfig-signer"], signer, signerSince);

        foreach (var spec in StaticPods.ControlPlane)
        {
            CreateRevisionStatus(spec, LabApiSeed.InitialRevision, "");
            var status = Api.Get(RevisionStatusPath(spec, LabApiSeed.InitialRevision))!;
            status["data"]!["status"] = "Succeeded";
            Api.Put(RevisionStatusPath(spec, LabApiSeed.InitialRevision), status);
        }
        foreach (var name in new[] { "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "authentication", "dns", "ingress", "machine-api", "network", "openshift-apiserver" })
            Api.Put($"{ClusterOperatorsPath}/{name}", ClusterOperatorObject(name));
        Api.Put("/apis/config.openshift.io/v1/proxies/cluster", new JsonObject
        {
            ["apiVersion"] = "config.openshift.io/v1",
            ["kind"] = "Proxy",
            ["spec"] = new JsonObject { ["trustedCA"] = new JsonObject { ["name"] = "" } },
            ["status"] = new JsonObject(),
        });

        var controlPlaneIndex = 0;
        foreach (var node in _nodes)
        {
            var role = node.IsControlPlane ? "master" : "worker";
            var name = node.IsControlPlane ? $"{InfraId}-master-{controlPlaneIndex++}" : $"{InfraId}-worker-0-{Ids.Suffix()}";
            var machine = MachineObject(name, role, node.Name);
            machine["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["nodeRef"] = new JsonObject { ["kind"] = "Node", ["name"] = node.Name, ["uid"] = Api.Get($"/api/v1/nodes/{node.Name}")?["metadata"]?["uid"]?.DeepClone() },
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = node.Address }),
                ["providerStatus"] = new JsonObject { ["apiVersion"] = "machine.openshift.io/v1beta1", ["kind"] = "VSphereMachineProviderStatus", ["instanceState"] = "poweredOn" },
            };
            Api.Put($"{MachinesPath}/{name}", machine);
        }

        if (Network.OvnKubernetes)
        {
            foreach (var node in _nodes)
                Api.Put($"/api/v1/namespaces/{OvnNamespace}/pods/ovnkube-node-{Ids.Suffix()}", OvnPodObject("ovnkube-node", node.Name, PodKind.OvnkubeNode));
            var hash = LabIds.Digest(Lab.Info.Name + "ovnkube-control-plane")[..10];
            foreach (var node in ControlPlane.Take(2))
                Api.Put($"/api/v1/namespaces/{OvnNamespace}/pods/ovnkube-control-plane-{hash}-{Ids.Suffix()}", OvnPodObject("ovnkube-control-plane", node.Name, PodKind.OvnkubeControlPlane));
        }

        Api.Put("/api/v1/namespaces/shop/configmaps/storefront-config", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["data"] = new JsonObject { ["currency"] = "EUR", ["checkout"] = "enabled" },
        });
        Api.Put("/api/v1/namespaces/shop/secrets/payment-gateway", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["api-key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("lab-not-a-secret")) },
        });
    }

    /// <summary>The client CA bundle the API server trusts and the signer kube-controller-manager issues kubelet certificates with.</summary>
    internal void SetSigners(IEnumerable<string> trusted, string current, DateTimeOffset since)
    {
        _pass = new PassCache();
        var bundle = string.Concat(trusted.Select(s => new LabCertificate(s, s, since, since + TimeSpan.FromDays(365)).ToPem()));
        Api.Put(ClientCaPath, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["data"] = new JsonObject { ["ca-bundle.crt"] = bundle } });
        var pem = new LabCertificate(current, current, since, since + TimeSpan.FromDays(60)).ToPem();
        Api.Put(CsrSignerPath, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["type"] = "kubernetes.io/tls",
            ["data"] = new JsonObject
            {
                ["tls.crt"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem)),
                ["tls.key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("lab-key")),
            },
        });
    }
}
