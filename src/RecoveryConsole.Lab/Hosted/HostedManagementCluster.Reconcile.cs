using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.Hosted;

// The hypershift operator, the StatefulSet/Deployment controllers of the control-plane namespace, and etcd membership.
public sealed partial class HostedManagementCluster
{
    /// <summary>Why the etcd restore init container failed (an expired presigned URL ...), null when it did not.</summary>
    internal string? RestoreFailure { get; private set; }

    /// <summary>The dataset with quorum in this control plane, null when etcd has none.</summary>
    internal EtcdDataset? QuorumDataset { get; private set; }

    /// <summary>Members and what they are: running (in quorum or not), crash looping (and why), waiting.</summary>
    internal Dictionary<string, (string State, string Reason, string Message)> MemberStates { get; } = new(StringComparer.Ordinal);

    internal bool CanServe { get; private set; }
    internal bool NodePoolActive { get; private set; }
    internal int ReadyApiServers { get; private set; }

    private bool _hadHostedCluster;

    /// <summary>The HostedCluster's finalizer: its control plane (workloads, claims, routes, HCP) goes with it.</summary>
    private void DeleteControlPlane()
    {
        foreach (var collection in new[] { "/apis/apps/v1/namespaces/{0}/statefulsets", "/apis/apps/v1/namespaces/{0}/deployments", "/api/v1/namespaces/{0}/pods",
                     "/api/v1/namespaces/{0}/persistentvolumeclaims", "/apis/route.openshift.io/v1/namespaces/{0}/routes",
                     "/apis/hypershift.openshift.io/v1beta1/namespaces/{0}/hostedcontrolplanes" })
        {
            var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, collection, Cp);
            foreach (var o in List(path)) Remove($"{path}/{(string?)o["metadata"]!["name"]}");
        }
        Volumes.Clear();
        RestoreFailure = null;
    }

    /// <summary>
    /// The hypershift operator's finalizer on a Terminating HostedCluster: the control plane goes, then the operator's
    /// finalizer; the object itself goes when no other finalizer holds it. Returns the HostedCluster still there.
    /// </summary>
    private JsonObject? FinalizeHostedCluster(JsonObject? hc)
    {
        if (hc?["metadata"]?["deletionTimestamp"] is null) return hc;
        DeleteControlPlane();
        if (hc["metadata"]?["finalizers"] is JsonArray finalizers && finalizers.FirstOrDefault(f => (string?)f == HostedClusterFinalizer) is { } ours)
        {
            finalizers.Remove(ours);
            Put(Hc, hc);
        }
        return Get(Hc);
    }

    internal const string HostedClusterFinalizer = "hypershift.openshift.io/finalizer";

    private void Reconcile()
    {
        if (_reconciling || _detached) return;
        _reconciling = true;
        try
        {
            var hc = FinalizeHostedCluster(Get(Hc));
            if (hc is null && _hadHostedCluster) DeleteControlPlane();
            _hadHostedCluster = hc is not null;
            if (hc is not null && !IsPaused(hc) && hc["metadata"]?["deletionTimestamp"] is null) Operate(hc);
            SyncStatefulSet();
            SyncDeployments();
            DropUnusedVolumes();
            EvaluateEtcd(hc);
            SyncPodStatuses();
            PublishRoutes(hc);
            var kas = List($"/api/v1/namespaces/{Cp}/pods").Count(p => (string?)p["metadata"]?["labels"]?["app"] == "kube-apiserver" && IsReady(p));
            ReadyApiServers = kas;
            CanServe = hc is not null && QuorumDataset is not null && kas > 0;
            var np = Get(Np);
            NodePoolActive = CanServe && np is not null; // the kubelets of the existing machines reconnect to whichever control plane serves
            UpdateStatus(hc);
        }
        finally
        {
            _reconciling = false;
        }
        Estate.Arbitrate();
    }

    /// <summary>The hypershift operator and control-plane-operator of an unpaused HostedCluster: create what is missing, enforce replicas.</summary>
    private void Operate(JsonObject hc)
    {
        if (Get($"/apis/hypershift.openshift.io/v1beta1/namespaces/{Cp}/hostedcontrolplanes/{HostedEstate.ClusterName}") is null || Get(EtcdSts) is null)
            SeedControlPlane(hc, restored: true);
        var desired = DesiredReplicas(hc);
        var sts = Get(EtcdSts)!;
        if (Replicas(sts) != desired)
        {
            sts["spec"]!["replicas"] = desired;
            Put(EtcdSts, sts);
        }
        foreach (var name in ControlPlaneDeployments)
        {
            var deployment = Get(Deployment(name));
            var want = name == "control-plane-operator" ? 1 : desired;
            if (deployment is null || Replicas(deployment) == want) continue;
            deployment["spec"]!["replicas"] = want;
            Put(Deployment(name), deployment);
        }
    }

    private void SyncStatefulSet()
    {
        var sts = Get(EtcdSts);
        var replicas = sts is null ? 0 : (int)Replicas(sts);
        foreach (var pod in List($"/api/v1/namespaces/{Cp}/pods").Where(p => (string?)p["metadata"]?["labels"]?["app"] == "etcd"))
        {
            var name = (string)pod["metadata"]!["name"]!;
            if (int.TryParse(name.AsSpan("etcd-".Length), out var ordinal) && ordinal < replicas) continue;
            Remove(Pod(name));
            // persistentVolumeClaimRetentionPolicy.whenScaled: Delete: the controller deletes the claims of the pods a
            // scale-down removed, and with them the members' data (document 002 8.6.4 warns of it).
            if (sts is not null && (string?)sts["spec"]?["persistentVolumeClaimRetentionPolicy"]?["whenScaled"] == "Delete")
                Remove(Pvc($"data-{name}"));
        }
        for (var i = 0; i < replicas; i++)
        {
            var claim = $"data-etcd-{i}";
            if (Get(Pod($"etcd-{i}")) is not null) continue;
            if (Get(Pvc(claim)) is null)
            {
                Put(Pvc(claim), new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "etcd" } },
                    ["spec"] = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce"), ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "8Gi" } } },
                    ["status"] = new JsonObject { ["phase"] = "Bound" },
                });
                Volumes[claim] = new HostedVolume(); // a new claim gets a new, empty volume
            }
            if (!Volumes.ContainsKey(claim)) Volumes[claim] = new HostedVolume();
            Put(Pod($"etcd-{i}"), NewPod(new JsonObject { ["app"] = "etcd" }, sts!["spec"]?["template"]?["spec"] as JsonObject, claim, i));
        }
    }

    private void SyncDeployments()
    {
        var pods = List($"/api/v1/namespaces/{Cp}/pods");
        foreach (var deployment in List($"/apis/apps/v1/namespaces/{Cp}/deployments"))
        {
            var name = (string)deployment["metadata"]!["name"]!;
            var hash = PodHash(name);
            var owned = pods.Where(p => ((string?)p["metadata"]?["name"] ?? "").StartsWith($"{name}-{hash}-", StringComparison.Ordinal)).ToList();
            var replicas = (int)Replicas(deployment);
            var templateSpec = deployment["spec"]?["template"]?["spec"] as JsonObject;
            var claim = (templateSpec?["volumes"] as JsonArray)?.OfType<JsonObject>().Select(v => (string?)v["persistentVolumeClaim"]?["claimName"]).FirstOrDefault(c => c is not null);
            for (var i = 0; i < Math.Max(replicas, owned.Count); i++)
            {
                var podName = $"{name}-{hash}-{Suffix(i)}";
                var exists = owned.Any(p => (string?)p["metadata"]?["name"] == podName);
                if (i >= replicas && exists) Remove(Pod(podName));
                else if (i < replicas && !exists)
                {
                    var labels = deployment["spec"]?["template"]?["metadata"]?["labels"]?.DeepClone() as JsonObject ?? new JsonObject { ["app"] = name };
                    labels["pod-template-hash"] = hash;
                    var pod = NewPod(labels, templateSpec, claim, i);
                    Put(Pod(podName), pod);
                }
            }
            var current = (JsonObject)deployment.DeepClone();
            current["status"] = new JsonObject { ["replicas"] = replicas, ["readyReplicas"] = replicas, ["availableReplicas"] = replicas, ["observedGeneration"] = (long?)deployment["metadata"]?["generation"] ?? 1 };
            if (deployment["status"]?.ToJsonString() != current["status"]!.ToJsonString()) Put(Deployment(name), current);
        }
        var deployments = List($"/apis/apps/v1/namespaces/{Cp}/deployments").Select(d => (string)d["metadata"]!["name"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p["metadata"]?["labels"]?["pod-template-hash"] is not null))
        {
            var name = (string)pod["metadata"]!["name"]!;
            if (!deployments.Any(d => name.StartsWith($"{d}-{PodHash(d)}-", StringComparison.Ordinal))) Remove(Pod(name));
        }
    }

    internal static string PodHash(string deployment)
    {
        var hash = 5381u;
        foreach (var c in deployment) hash = hash * 33 + c;
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[(int)(hash % (uint)alphabet.Length)];
            hash = hash / (uint)alphabet.Length + (uint)(i * 2654435761u);
        }
        return new string(chars);
    }

    private static string Suffix(int i) => new[] { "x7k2p", "q4m9t", "h2c8w", "z5n3r", "b6v1d" }[i % 5] + (i >= 5 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    private JsonObject NewPod(JsonObject labels, JsonObject? templateSpec, string? claim, int index)
    {
        var spec = templateSpec?.DeepClone() as JsonObject ?? new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main" }) };
        if (claim is not null)
            spec["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } });
        spec["nodeName"] = Cluster.Info.Hosts.Count == 0 ? null : Cluster.Info.Hosts[index % Cluster.Info.Hosts.Count].Name;
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = labels },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Running", ["startTime"] = Conditions.Timestamp(Cluster.Clock.UtcNow) },
        };
    }

    /// <summary>A claim's volume lives while the PVC exists or a pod still mounts it (kubernetes.io/pvc-protection).</summary>
    private void DropUnusedVolumes()
    {
        var mounted = List($"/api/v1/namespaces/{Cp}/pods").Select(ClaimOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var claim in Volumes.Keys.ToList())
        {
            if (Get(Pvc(claim)) is null && !mounted.Contains(claim)) Volumes.Remove(claim);
        }
        foreach (var pvc in List($"/api/v1/namespaces/{Cp}/persistentvolumeclaims"))
        {
            var claim = (string)pvc["metadata"]!["name"]!;
            if (!Volumes.ContainsKey(claim)) Volumes[claim] = new HostedVolume();
        }
    }

    internal static string? ClaimOf(JsonObject pod) =>
        (pod["spec"]?["volumes"] as JsonArray)?.OfType<JsonObject>().Select(v => (string?)v["persistentVolumeClaim"]?["claimName"]).FirstOrDefault(c => c is not null);

    internal HostedVolume? VolumeOf(string podName) =>
        Get(Pod(podName)) is { } pod && ClaimOf(pod) is { } claim ? Volumes.GetValueOrDefault(claim) : null;

    /// <summary>Which members run, which crash and why, which dataset has quorum; restores from restoreSnapshotURL and lets empty members join.</summary>
    private void EvaluateEtcd(JsonObject? hc)
    {
        MemberStates.Clear();
        QuorumDataset = null;
        var sts = Get(EtcdSts);
        var replicas = sts is null ? 0 : (int)Replicas(sts);
        var members = new List<(string Pod, HostedVolume Volume)>();
        for (var i = 0; i < replicas; i++)
            if (Get(Pod($"etcd-{i}")) is not null && Volumes.GetValueOrDefault($"data-etcd-{i}") is { } v) members.Add(($"etcd-{i}", v));
        if (members.Count == 0) return;

        // A control plane created with restoreSnapshotURL: the init container of a member with no data fetches the snapshot.
        if (members.All(m => m.Volume.Member is null) && RestoreUrls(hc) is [JsonValue url, ..] && (string?)url is { } restoreUrl)
        {
            var (status, body) = Estate.S3.Fetch(restoreUrl, Cluster.Clock.UtcNow);
            var snapshot = status == 200 ? HostedSnapshot.Parse(body) : null;
            if (snapshot is null)
            {
                var first = body.Split('\n').FirstOrDefault(l => l.StartsWith("<Error>", StringComparison.Ordinal)) ?? body;
                RestoreFailure = $"failed to restore etcd snapshot from {restoreUrl.Split('?')[0]}: the downloaded file is not an etcd snapshot (HTTP {status}): {first}";
                MemberStates[members[0].Pod] = ("Init:CrashLoopBackOff", "RestoreFailed", RestoreFailure);
                foreach (var m in members.Skip(1)) MemberStates[m.Pod] = ("Init:0/1", "PodInitializing", "waiting for etcd-0 to restore the snapshot");
                return;
            }
            RestoreFailure = null;
            var dataset = new EtcdDataset(Estate.NewClusterId(), snapshot.Objects, snapshot.Revision + 1);
            members[0].Volume.Member = new EtcdMemberData(members[0].Pod, dataset);
        }

        var holders = members.Where(m => m.Volume.Member is { Corrupted: false }).ToList();
        var primary = holders.GroupBy(m => m.Volume.Member!.Dataset)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(m => m.Pod), StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();
        if (primary is null && members.All(m => m.Volume.Member is null))
        {
            // Nothing to restore and no data anywhere: etcd-0 bootstraps a new, empty cluster.
            primary = new EtcdDataset(Estate.NewClusterId(), new SortedDictionary<string, JsonObject>(StringComparer.Ordinal), 1);
            members[0].Volume.Member = new EtcdMemberData(members[0].Pod, primary);
        }
        foreach (var (pod, volume) in members)
        {
            if (volume.Member is null && primary is not null) volume.Member = new EtcdMemberData(pod, primary); // etcd-init: member add, sync from peers
        }
        var healthy = 0;
        foreach (var (pod, volume) in members)
        {
            var member = volume.Member!;
            if (member is null) continue;
            if (member.Corrupted)
                MemberStates[pod] = ("CrashLoopBackOff", "Corrupted", "panic: freepages: failed to get all reachable pages (page 1573: multiple references (stack: [1224 1573]))");
            else if (!ReferenceEquals(member.Dataset, primary))
                MemberStates[pod] = ("CrashLoopBackOff", "ClusterIdMismatch", $"request sent was ignored (cluster ID mismatch: peer[{member.MemberId:x}]={member.Dataset.ClusterId:x}, local={primary?.ClusterId ?? 0:x})");
            else
            {
                MemberStates[pod] = ("Running", "", "");
                healthy++;
            }
        }
        if (primary is not null && healthy >= replicas / 2 + 1) QuorumDataset = primary;
        if (QuorumDataset is null)
        {
            foreach (var (pod, state) in MemberStates.ToList())
                if (state.State == "Running") MemberStates[pod] = ("Running", "NoQuorum", "etcdserver: no leader; waiting for quorum");
        }
    }

    private static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;

    private void SyncPodStatuses()
    {
        foreach (var pod in List($"/api/v1/namespaces/{Cp}/pods"))
        {
            var name = (string)pod["metadata"]!["name"]!;
            var app = (string?)pod["metadata"]?["labels"]?["app"];
            bool ready;
            string? waiting = null;
            string? message = null;
            if (app == "etcd")
            {
                var state = MemberStates.GetValueOrDefault(name, ("Pending", "", ""));
                ready = state.Item1 == "Running" && state.Item2.Length == 0;
                if (state.Item1 != "Running") (waiting, message) = (state.Item1.Replace("Init:", "", StringComparison.Ordinal), state.Item3);
            }
            else if (app is "kube-apiserver" or "openshift-apiserver" or "openshift-oauth-apiserver")
            {
                ready = QuorumDataset is not null;
                if (!ready) (waiting, message) = ("CrashLoopBackOff", $"Error while dialing: dial tcp: lookup etcd-client.{Cp}.svc: connect: connection refused");
            }
            else
            {
                ready = ClaimOf(pod) is not { } claim || Volumes.ContainsKey(claim);
                if (!ready) (waiting, message) = ("ContainerCreating", "persistentvolumeclaim not found");
            }
            var status = new JsonObject
            {
                ["phase"] = ready || waiting == "CrashLoopBackOff" ? "Running" : "Pending",
                ["startTime"] = pod["status"]?["startTime"]?.DeepClone(),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
                ["containerStatuses"] = new JsonArray((pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = (string?)c["name"],
                    ["ready"] = ready,
                    ["restartCount"] = waiting == "CrashLoopBackOff" ? 7 : 0,
                    ["state"] = waiting is null
                        ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = pod["status"]?["startTime"]?.DeepClone() } }
                        : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = waiting, ["message"] = message } },
                }).ToArray()),
            };
            if (MemberStates.GetValueOrDefault(name).Item1 is { } s && s.StartsWith("Init:", StringComparison.Ordinal))
            {
                status["phase"] = "Pending";
                status["initContainerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "etcd-init",
                    ["ready"] = false,
                    ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = s[5..], ["message"] = MemberStates[name].Message } },
                });
            }
            if (pod["status"]?.ToJsonString() == status.ToJsonString()) continue;
            pod["status"] = status;
            Put(Pod(name), pod);
        }
    }

    /// <summary>external-dns: each route of the hosted cluster's control plane becomes a Route53 record owned by this management cluster.</summary>
    private void PublishRoutes(JsonObject? hc)
    {
        var hosts = hc is null ? [] : List($"/apis/route.openshift.io/v1/namespaces/{Cp}/routes").Select(r => (string?)r["spec"]?["host"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var host in hosts) Estate.Route53.Publish(host, $"router-default.apps.{Name}.lab.example", Name);
        foreach (var stale in Estate.Route53.OwnedBy(Name).Where(h => !hosts.Contains(h))) Estate.Route53.Withdraw(stale, Name);
    }

    private void UpdateStatus(JsonObject? hc)
    {
        if (hc is null) return;
        var now = Cluster.Clock.UtcNow;
        var status = hc["status"] as JsonObject ?? [];
        var before = status.ToJsonString();
        var paused = IsPaused(hc);
        Conditions.Set(status, "Available", CanServe ? "True" : "False", CanServe ? "AsExpected" : "WaitingForAvailable",
            CanServe ? "The hosted control plane is available" : QuorumDataset is null ? "etcd has no quorum" : "kube-apiserver is not available", now);
        Conditions.Set(status, "EtcdAvailable", QuorumDataset is not null ? "True" : "False", QuorumDataset is not null ? "QuorumAvailable" : "EtcdQuorumLost",
            RestoreFailure ?? (QuorumDataset is not null ? "" : "etcd quorum is not available"), now);
        Conditions.Set(status, "ReconciliationActive", paused ? "False" : "True", paused ? "ReconciliationPaused" : "AsExpected",
            paused ? $"Reconciliation paused until: {(string?)hc["spec"]?["pausedUntil"]}" : "Reconciliation active on resource", now);
        if (status.ToJsonString() == before) return;
        hc["status"] = status;
        Put(Hc, hc);
    }
}
