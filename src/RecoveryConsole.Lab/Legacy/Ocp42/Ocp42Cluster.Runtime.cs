using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

public sealed partial class Ocp42Cluster
{
    private const string Csrs = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    /// <summary>A kubelet: running or stopped, its certificates expired or not, the CSR it waits for.</summary>
    internal sealed class KubeletState
    {
        public bool Running { get; set; } = true;
        public bool Expired { get; set; }
        public bool Bootstrapped { get; set; } = true;
        public string? PendingClientCsr { get; set; }
        public string? PendingServingCsr { get; set; }
        public bool Serving { get; set; } = true;
        public string? Error { get; set; }
    }

    internal KubeletState Kubelet(string host) => _kubelets[host];

    /// <summary>True when the node's kubelet runs with valid certificates and the API it reports to serves.</summary>
    public bool NodeReady(LabHost host)
    {
        lock (Sync)
        {
            var k = _kubelets[host.Name];
            return host.Reachable && k.Running && !k.Expired && k.Bootstrapped && k.Serving && !ControlPlaneCertificatesExpired;
        }
    }

    /// <summary>Brings derived state up to date: replacement masters, kubelet CSRs, node and pool status, the control plane's certificates.</summary>
    internal void Reconcile()
    {
        lock (Sync)
        {
            if (!_attached) return;
            // Once the API serves again the machine-api operator creates the lost masters again (empty etcd, two CSRs each).
            if (HasQuorum && Masters.Any(h => _lost.Contains(h.Name)))
            {
                foreach (var host in Masters.Where(h => _lost.Contains(h.Name)).ToList()) Replace(host);
            }
            // A redeployed control plane (after regenerate-certificates) serves valid certificates.
            if (ControlPlaneCertificatesExpired && CertificatesRegenerated && RedeployForced())
                ControlPlaneCertificatesExpired = false;

            foreach (var host in Nodes)
            {
                var k = _kubelets[host.Name];
                if (k.PendingClientCsr is { } client && Approved(client))
                {
                    k.PendingClientCsr = null;
                    k.Bootstrapped = true;
                    k.Expired = false;
                    host.FileSystem.WriteFile($"{KubeletPki}/kubelet-client-current.pem", $"(kubelet client certificate of {host.Name}, renewed)\n");
                    k.PendingServingCsr = NewCsr("kubernetes.io/kubelet-serving", $"system:node:{host.Name}", ["system:nodes", "system:authenticated"]);
                }
                if (k.PendingServingCsr is { } serving && Approved(serving))
                {
                    k.PendingServingCsr = null;
                    k.Serving = true;
                    host.FileSystem.WriteFile($"{KubeletPki}/kubelet-server-current.pem", $"(kubelet serving certificate of {host.Name}, renewed)\n");
                }
                UpdateNode(host);
            }
            UpdatePools();
        }
    }

    private void Replace(LabHost host)
    {
        _lost.Remove(host.Name);
        host.FileSystem.Clear();
        LabHostSeed.Populate(host, Cluster.Info.Version);
        foreach (var f in host.FileSystem.FilesUnder(Manifests)) host.FileSystem.Delete(f);
        host.FileSystem.Delete("/var/lib/etcd/member");
        SeedMaster(host);
        host.FileSystem.WriteFile("/etc/kubernetes/kubeconfig", "apiVersion: v1\nkind: Config\n# bootstrap kubeconfig (installer)\n");
        host.FileSystem.WriteFile("/etc/kubernetes/kubelet-ca.crt", (string?)Cluster.Api.Get(KubeletCaConfigMap)?["data"]?["ca-bundle.crt"] ?? KubeletCa(1));
        host.Reachable = true;
        _kubelets[host.Name] = new KubeletState
        {
            Bootstrapped = false,
            Serving = false,
            PendingClientCsr = NewCsr("kubernetes.io/kube-apiserver-client-kubelet", "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper",
                ["system:serviceaccounts", "system:serviceaccounts:openshift-machine-config-operator", "system:authenticated"]),
        };
    }

    private bool RedeployForced() =>
        new[] { "kubeapiservers", "kubecontrollermanagers", "kubeschedulers" }.All(r =>
            (string?)Cluster.Api.Get($"/apis/{StaticPodRolloutController.Group}/v1/{r}/cluster")?["spec"]?["forceRedeploymentReason"] is { Length: > 0 });

    internal string NewCsr(string signer, string user, string[] groups)
    {
        var name = $"csr-{Hex(Cluster.Info.Name + (++_csrCounter), 5)}";
        Cluster.Api.Put($"{Csrs}/{name}", new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["signerName"] = signer,
                ["username"] = user,
                ["groups"] = new JsonArray(groups.Select(g => (JsonNode?)g).ToArray()),
                ["usages"] = new JsonArray("digital signature", "key encipherment", signer.EndsWith("serving", StringComparison.Ordinal) ? "server auth" : "client auth"),
                ["request"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"-----BEGIN CERTIFICATE REQUEST-----\nlab request for {user}\n-----END CERTIFICATE REQUEST-----\n")),
            },
            ["status"] = new JsonObject(),
        });
        return name;
    }

    private bool Approved(string csr) =>
        Cluster.Api.Get($"{Csrs}/{csr}")?["status"]?["conditions"] is JsonArray conditions &&
        conditions.Any(c => (string?)c?["type"] == "Approved" && (string?)c?["status"] != "False");

    private void UpdateNode(LabHost host)
    {
        var path = $"/api/v1/nodes/{host.Name}";
        if (Cluster.Api.Get(path) is not { } node) return;
        var ready = NodeReady(host);
        var k = _kubelets[host.Name];
        var reason = !host.Reachable ? "NodeStatusUnknown" : ready ? "KubeletReady" : "KubeletNotReady";
        var message = !host.Reachable ? "Kubelet stopped posting node status."
            : ready ? "kubelet is posting ready status"
            : k.Expired || ControlPlaneCertificatesExpired ? "x509: certificate has expired or is not yet valid"
            : "kubelet has not obtained its certificates (pending CSR)";
        var conditions = node["status"]?["conditions"] as JsonArray;
        var existing = conditions?.FirstOrDefault(c => (string?)c?["type"] == "Ready");
        var status = !host.Reachable ? "Unknown" : ready ? "True" : "False";
        if (existing is not null && (string?)existing["status"] == status && (string?)existing["message"] == message) return;
        var copy = (JsonObject)node.DeepClone();
        copy["status"] ??= new JsonObject();
        var list = copy["status"]!["conditions"] as JsonArray ?? new JsonArray();
        foreach (var c in list.Where(c => (string?)c?["type"] == "Ready").ToList()) list.Remove(c);
        list.Add(new JsonObject { ["type"] = "Ready", ["status"] = status, ["reason"] = reason, ["message"] = message, ["lastTransitionTime"] = Conditions.Timestamp(Now) });
        copy["status"]!["conditions"] = list;
        Cluster.Api.Put(path, copy);
    }

    private void UpdatePools()
    {
        foreach (var (pool, role, rendered) in new[] { ("master", HostRoles.ControlPlane, RenderedMaster), ("worker", HostRoles.Worker, RenderedWorker) })
        {
            var path = $"/apis/machineconfiguration.openshift.io/v1/machineconfigpools/{pool}";
            if (Cluster.Api.Get(path) is not { } obj) continue;
            var hosts = Nodes.Where(h => h.Roles.Contains(role)).ToList();
            var ready = hosts.Count(NodeReady);
            var degraded = ready < hosts.Count;
            var status = new JsonObject
            {
                ["configuration"] = new JsonObject { ["name"] = rendered },
                ["machineCount"] = hosts.Count,
                ["readyMachineCount"] = ready,
                ["updatedMachineCount"] = ready,
                ["unavailableMachineCount"] = hosts.Count - ready,
                ["degradedMachineCount"] = 0,
                ["conditions"] = new JsonArray(
                    Condition("Updated", !degraded, degraded ? "" : $"All nodes are updated with {rendered}"),
                    Condition("Updating", degraded, degraded ? $"{hosts.Count - ready} nodes are not ready" : ""),
                    Condition("Degraded", false, "")),
            };
            if (obj["status"]?.ToJsonString() == status.ToJsonString()) continue;
            var copy = (JsonObject)obj.DeepClone();
            copy["status"] = status;
            Cluster.Api.Put(path, copy);
        }
    }

    private JsonObject Condition(string type, bool value, string message) => new()
    {
        ["type"] = type, ["status"] = value ? "True" : "False", ["message"] = message, ["reason"] = "", ["lastTransitionTime"] = Conditions.Timestamp(Cluster.Clock.Time.GetUtcNow().Date),
    };

    // ---- scripts ----

    /// <summary>
    /// etcd-snapshot-restore.sh on one master: the member becomes <c>initialCluster</c>'s member of a cluster restored from
    /// <paramref name="backup"/> (its id depends on the snapshot and the member list, as etcd's does). With several
    /// members, a restore started more than <see cref="RestoreWindow"/> after the first one of the same cluster fails.
    /// </summary>
    internal (bool Ok, string ClusterId, string MemberId, string? Error) Restore(LabHost host, string backup, string initialCluster)
    {
        lock (Sync)
        {
            var entries = initialCluster.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=', 2)).ToList();
            if (entries.Any(e => e.Length != 2)) return (false, "", "", $"invalid INITIAL_CLUSTER \"{initialCluster}\"");
            if (entries.All(e => e[0] != EtcdName(host.Name))) return (false, "", "", $"member {EtcdName(host.Name)} is not part of INITIAL_CLUSTER");
            var clusterId = Hex($"restore {backup} {initialCluster}");
            if (!_clusters.TryGetValue(clusterId, out var cluster))
            {
                cluster = new Ocp42EtcdCluster(clusterId);
                foreach (var e in entries)
                {
                    var member = Masters.FirstOrDefault(h => EtcdName(h.Name) == e[0]);
                    cluster.Members.Add((Hex(clusterId + e[0]), e[0], e[1], member?.Name ?? ""));
                }
                _clusters[clusterId] = cluster;
            }
            var memberId = Hex(clusterId + EtcdName(host.Name));
            host.FileSystem.WriteFile(EtcdDb, $"cluster={clusterId} member={memberId} backup={backup}\n");
            _failedMembers.Remove(host.Name);
            if (cluster.RestoreStarts.Count > 0 && cluster.Members.Count > 1 && Now - cluster.RestoreStarts.Values.Min() > RestoreWindow)
            {
                _failedMembers.Add(host.Name);
                cluster.RestoreStarts[host.Name] = Now;
                Reconcile();
                return (false, clusterId, memberId,
                    $"etcd-member failed to start: the other members started {(Now - cluster.RestoreStarts.Values.Min()).TotalMinutes:0} minutes earlier and gave up waiting for a quorum");
            }
            var first = cluster.RestoreStarts.Count == 0;
            cluster.RestoreStarts[host.Name] = Now;
            // The first member restored brings the keyspace back to the snapshot: objects created after it are gone.
            if (first && _snapshots.TryGetValue(backup, out var snapshot))
                Cluster.Api.RestoreObjects(snapshot.Objects, snapshot.Revision + 1000);
            Reconcile();
            return (true, clusterId, memberId, null);
        }
    }

    /// <summary>Members of multi-member restores that waited past the window without a quorum have given up.</summary>
    internal void ExpireLonelyRestores()
    {
        lock (Sync)
        {
            foreach (var cluster in _clusters.Values.Where(c => c.Members.Count > 1 && c.RestoreStarts.Count > 0))
            {
                var first = cluster.RestoreStarts.Values.Min();
                var inTime = cluster.RestoreStarts.Count(s => s.Value - first <= RestoreWindow);
                if (Now - first > RestoreWindow && inTime * 2 <= cluster.Members.Count)
                    foreach (var host in cluster.RestoreStarts.Keys) _failedMembers.Add(host);
            }
        }
    }

    internal void TokenizeSigner(LabHost host, string node) => _tokenizedSigner[host.Name] = node;

    internal bool Tokenized(LabHost host) => _tokenizedSigner.ContainsKey(host.Name);

    /// <summary>The signer answers on <paramref name="address"/>:9943 when its pod is in the API, bound to that node.</summary>
    public bool SignerListening(string address)
    {
        lock (Sync)
        {
            if (!HasQuorum || Cluster.Api.Get(SignerPodPath) is not { } pod) return false;
            var node = (string?)pod["spec"]?["nodeName"];
            return Masters.Any(h => h.Name == node && h.Address == address && h.Reachable);
        }
    }

    /// <summary>etcd-member-recover.sh: adds this master to the live cluster with certificates from the signer.</summary>
    internal (bool Ok, string? Error, string MemberId, Ocp42EtcdCluster? Cluster) RecoverMember(LabHost host, string signerIp, string memberName)
    {
        lock (Sync)
        {
            if (memberName != EtcdName(host.Name)) return (false, $"member name {memberName} does not match this host's etcd name {EtcdName(host.Name)}", "", null);
            if (!SignerListening(signerIp)) return (false, "timed out waiting for certs to generate", "", null);
            if (LiveCluster is not { } live || !HasQuorum) return (false, "etcdserver: request timed out", "", null);
            var memberId = Hex(live.Id + memberName);
            live.Members.RemoveAll(m => m.Name == memberName);
            live.Members.Add((memberId, memberName, PeerUrl(host.Name), host.Name));
            WriteEtcdCerts(host);
            host.FileSystem.WriteFile(EtcdDb, $"cluster={live.Id} member={memberId} backup=joined\n");
            if (!host.FileSystem.FileExists(EtcdManifest)) SeedMaster(host);
            _failedMembers.Remove(host.Name);
            Reconcile();
            return (true, null, memberId, live);
        }
    }

    /// <summary>systemctl start kubelet: bootstraps with a CSR when /var/lib/kubelet/pki was cleared and the bootstrap kubeconfig works.</summary>
    internal void StartKubelet(LabHost host)
    {
        lock (Sync)
        {
            var k = _kubelets[host.Name];
            k.Running = true;
            var pkiPresent = host.FileSystem.FilesUnder(KubeletPki).Count > 0;
            if (pkiPresent)
            {
                k.Error = k.Expired ? "x509: certificate has expired or is not yet valid" : null;
                Reconcile();
                return;
            }
            var kubeconfigOk = !host.Roles.Contains(HostRoles.ControlPlane) || RecoveredKubeconfig is null ||
                               host.FileSystem.TryReadFile("/etc/kubernetes/kubeconfig", out var kc) && kc == RecoveredKubeconfig;
            var ca = (string?)Cluster.Api.Get(KubeletCaConfigMap)?["data"]?["ca-bundle.crt"];
            var caOk = host.FileSystem.TryReadFile("/etc/kubernetes/kubelet-ca.crt", out var localCa) && localCa.Trim() == ca?.Trim();
            if (ControlPlaneCertificatesExpired || !kubeconfigOk || !caOk)
            {
                k.Error = !caOk ? "x509: certificate signed by unknown authority" : "x509: certificate has expired or is not yet valid";
                k.Bootstrapped = false;
                Reconcile();
                return;
            }
            k.Error = null;
            k.Bootstrapped = false;
            k.Serving = false;
            k.PendingClientCsr ??= NewCsr("kubernetes.io/kube-apiserver-client-kubelet", "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper",
                ["system:serviceaccounts", "system:serviceaccounts:openshift-machine-config-operator", "system:authenticated"]);
            Reconcile();
        }
    }

    internal void StopKubelet(LabHost host)
    {
        lock (Sync)
        {
            _kubelets[host.Name].Running = false;
            Reconcile();
        }
    }

    // ---- health ----

    public LabHealthReport Diagnose()
    {
        lock (Sync)
        {
            ExpireLonelyRestores();
            Reconcile();
            var problems = new List<LabProblem>();
            foreach (var host in Nodes.Where(h => !h.Reachable))
                problems.Add(new LabProblem("host-down", host.Name, $"host {host.Name} is down or unreachable"));
            var live = LiveCluster;
            if (!HasQuorum)
                problems.Add(new LabProblem("etcd-quorum-lost", "etcd",
                    live is null ? "no etcd member runs" : $"{RunningMembers(live)} of {live.Members.Count} members run, {live.Members.Count / 2 + 1} are needed"));
            foreach (var host in Masters.Where(h => _failedMembers.Contains(h.Name)))
                problems.Add(new LabProblem("etcd-member-failed", host.Name, $"etcd-member on {host.Name} exits: the restore started too late to join its cluster"));
            foreach (var host in Masters.Where(h => h.Reachable && !_failedMembers.Contains(h.Name)))
            {
                var data = DataOf(host);
                if (live is not null && EtcdRunning(host) && data!.ClusterId != live.Id)
                    problems.Add(new LabProblem("etcd-cluster-id-mismatch", host.Name,
                        $"rafthttp: request cluster ID mismatch (got {data.ClusterId} want {live.Id})"));
                else if (live is not null && !live.Members.Any(m => m.Host == host.Name && data?.MemberId == m.Id && EtcdRunning(host)))
                    problems.Add(new LabProblem("etcd-member-missing", host.Name, $"{host.Name} runs no member of the etcd cluster {live.Id}"));
            }
            if (live is not null)
                foreach (var m in live.Members.Where(m => Masters.All(h => h.Name != m.Host || !h.Reachable)))
                    problems.Add(new LabProblem("etcd-member-unreachable", m.Name, $"etcd member {m.Id} ({m.Name}) is unreachable"));
            if (ControlPlaneCertificatesExpired)
                problems.Add(new LabProblem("api-certificate-expired", "kube-apiserver", "the control plane's certificates have expired: x509: certificate has expired or is not yet valid"));
            if (_recoveryApiserver.Count > 0)
                problems.Add(new LabProblem("recovery-apiserver-running", string.Join(",", _recoveryApiserver), "the recovery API server still runs (podman): destroy it"));
            if (Cluster.Api.Get(SignerPodPath) is not null)
                problems.Add(new LabProblem("etcd-signer-running", "openshift-config/etcd-signer", "the temporary etcd-signer pod is still running: delete it"));
            foreach (var host in Nodes.Where(h => h.Reachable && !NodeReady(h)))
            {
                var k = _kubelets[host.Name];
                problems.Add(new LabProblem("node-not-ready", host.Name,
                    !k.Running ? "the kubelet is stopped" : k.Error ?? (k.Expired ? "x509: certificate has expired or is not yet valid" : "the kubelet waits for its certificate (pending CSR)")));
            }
            foreach (var csr in Cluster.Api.ListObjects(Csrs).Where(c => c["status"]?["conditions"] is not JsonArray { Count: > 0 }))
                problems.Add(new LabProblem("csr-pending", (string?)csr["metadata"]?["name"] ?? "", $"CSR from {(string?)csr["spec"]?["username"]} is pending"));
            DiagnoseDeletedObjects(problems);
            return new LabHealthReport(Cluster.Info.Name, Now, problems);
        }
    }
}
