using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4.Etcd;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>
/// The state of a simulated OpenShift 4 cluster behind a <see cref="LabCluster"/>: hosts with their kubelets and
/// container runtimes, the etcd clusters and members, the static-pod operators, machines, VIPs and OVN. Commands on
/// the hosts and requests to the lab API change this state; what they print and answer is derived from it.
/// <para>
/// Time: nothing runs in the background. Pending happenings (a container finishing its shutdown, a rollout step)
/// sit in a scheduler with real due times (simulated durations scaled by <see cref="LabClock"/>); every entry point
/// first catches up to "now" in due order. The API server's lock is the model's lock, so API, hosts and model move as one.
/// </para>
/// </summary>
public sealed partial class Ocp4Cluster : ILabClusterModel, ILabApiController, ILabApiGate
{
    public string Kind => "ocp4";

    private readonly List<Ocp4Node> _nodes;
    private bool _advancing;
    private bool _restoring;

    internal Ocp4Cluster(LabCluster lab, LabOptions options)
    {
        Lab = lab;
        Release = new Ocp4Release(lab.Info.Version);
        Ids = new LabIds(lab.Info.Name);
        RolloutStepDelay = options.RolloutStepDelay;
        _nodes = lab.Info.Hosts.Select((h, i) => new Ocp4Node(lab.Host(h.Name), i)).ToList();
        Now = lab.Clock.UtcNow;
        Network = new Ocp4Network(lab.Info);
    }

    public LabCluster Lab { get; }
    public Ocp4Release Release { get; }
    public IReadOnlyList<Ocp4Node> Nodes => _nodes;

    internal LabKubernetesApi Api => Lab.Api;
    internal LabClock Clock => Lab.Clock;
    internal object Gate => Api.SyncRoot;
    internal LabIds Ids { get; }
    internal LabScheduler Scheduler { get; } = new();
    internal TimeSpan RolloutStepDelay { get; }
    internal Ocp4Network Network { get; }

    /// <summary>The model's own time: the due time of the happening being applied, or the last "now" caught up to.</summary>
    internal DateTimeOffset Now { get; private set; }

    /// <summary>Every etcd cluster that ever existed here; a restore adds one.</summary>
    internal List<EtcdCluster> EtcdClusters { get; } = [];

    /// <summary>The etcd cluster whose keyspace the API serves (the newest one formed).</summary>
    internal EtcdCluster? LiveEtcd { get; set; }

    /// <summary>How many restores happened: pods and databases from an earlier generation hold stale state.</summary>
    internal int RestoreEpoch { get; private set; }

    internal DateTimeOffset? RestoredAt { get; private set; }

    public IEnumerable<Ocp4Node> ControlPlane => _nodes.Where(n => n.IsControlPlane);

    public Ocp4Node? Node(string name) => _nodes.FirstOrDefault(n => n.Name == name);

    internal Ocp4Node NodeOf(LabHost host) => _nodes.First(n => ReferenceEquals(n.Host, host));

    // ---- entry points: catch up, then read or change ----

    /// <summary>Brings the simulation up to the current time.</summary>
    public void Sync()
    {
        lock (Gate) AdvanceLocked(Clock.UtcNow);
    }

    internal T Read<T>(Func<T> read)
    {
        lock (Gate)
        {
            AdvanceLocked(Clock.UtcNow);
            _pass = new PassCache();
            return read();
        }
    }

    internal T Change<T>(Func<T> change)
    {
        lock (Gate)
        {
            AdvanceLocked(Clock.UtcNow);
            _pass = new PassCache();
            var result = change();
            AdvanceLocked(Clock.UtcNow);
            _pass = new PassCache();
            return result;
        }
    }

    internal void Change(Action change) => Change(() =>
    {
        change();
        return 0;
    });

    /// <summary>A simulated duration from now, scaled to real time.</summary>
    internal DateTimeOffset After(TimeSpan simulated) => Now + Clock.Scale(simulated);

    internal void At(TimeSpan simulatedDelay, string what, Action<DateTimeOffset> action) => Scheduler.At(After(simulatedDelay), what, action);

    private void AdvanceLocked(DateTimeOffset now)
    {
        if (_advancing) return; // re-entered from a write made while catching up: the running pass sees it
        _advancing = true;
        try
        {
            if (now < Now) now = Now;
            var steps = 0;
            ReconcileUntilStable();
            while (Scheduler.TryTakeDue(now, out var due, out var action))
            {
                if (due > Now) Now = due;
                action(Now);
                ReconcileUntilStable();
                if (++steps > 200_000) throw new InvalidOperationException("The lab simulation does not settle (more than 200000 happenings at once).");
            }
            Now = now;
            ReconcileUntilStable();
        }
        finally
        {
            _advancing = false;
        }
    }

    private void ReconcileUntilStable()
    {
        for (var pass = 0; pass < 10; pass++)
        {
            ReconcilePasses++;
            if (!Reconcile()) return;
        }
        UnsettledReconciles++;
    }

    /// <summary>Diagnostics: reconcile passes run, and how often ten passes in a row still changed something.</summary>
    internal long ReconcilePasses { get; private set; }
    internal long UnsettledReconciles { get; private set; }

    /// <summary>One pass of every simulated controller at <see cref="Now"/>; true when anything changed.</summary>
    private bool Reconcile()
    {
        _pass = new PassCache(); // what a pass reads once: the API's trust bundle, all pods, whether the API serves
        var changed = ReconcilePower();
        foreach (var node in _nodes.Where(n => n.KubeletActive))
        {
            changed |= SyncStaticPods(node);
            changed |= SyncWorkloads(node);
        }
        changed |= ReconcileEtcd();
        changed |= ReconcileVips();
        changed |= ReconcileCertificates();
        if (ApiServing)
        {
            changed |= SyncApi();
        }
        return changed;
    }

    // ---- the API server's view of the model (gate and controller hooks) ----

    /// <summary>Why a client cannot reach the API server right now (null when one answers).</summary>
    internal string? ApiUnreachableReason()
    {
        if (Network.KeepalivedEnabled && !ControlPlane.Any(n => n.IsUp && n.Vips.Contains(Network.ApiVip)))
            return $"dial tcp {Network.ApiVip}:6443: connect: no route to host";
        if (!ControlPlane.Any(n => n.IsUp && n.RunningContainer(PodKind.KubeApiServer, "kube-apiserver")?.IsReady(Now) == true))
            return $"dial tcp {Network.ApiVip}:6443: connect: connection refused";
        if (ApiServingCertificate is { } cert && !cert.IsValidAt(Now))
        {
            return "tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time " +
                   LabCertificate.Stamp(Now) + " is after " + LabCertificate.Stamp(cert.NotAfter);
        }
        return null;
    }

    /// <summary>A kube-apiserver answers and the etcd cluster behind it has quorum: reads and writes work.</summary>
    internal bool ApiServing => _pass.Serving ??= ApiUnreachableReason() is null && LiveEtcd is { } live && HasQuorum(live);

    /// <summary>Values read once per reconcile pass (or per entry point outside one); a new pass starts afresh.</summary>
    private sealed class PassCache
    {
        public bool? Serving;
        public HashSet<string>? Trusted;
        public Dictionary<(string Namespace, string Name), JsonObject>? Pods;
    }

    private PassCache _pass = new();

    /// <summary>Every pod in the API by namespace and name, read once per pass.</summary>
    internal Dictionary<(string Namespace, string Name), JsonObject> ApiPods() =>
        _pass.Pods ??= Api.ListObjects("/api/v1/pods")
            .ToDictionary(p => ((string)p["metadata"]!["namespace"]!, (string)p["metadata"]!["name"]!));

    ApiResponse? ILabApiGate.Admit(ApiRequest request)
    {
        _pass = new PassCache();
        if (ApiUnreachableReason() is { } reason) throw new ApiUnreachableException(Api.Server, reason);
        if (LiveEtcd is { } live && HasQuorum(live)) return null;
        var path = request.Path.Split('?')[0].TrimEnd('/');
        return path switch
        {
            "/version" => null, // served without etcd
            "/healthz" or "/readyz" or "/livez" => new ApiResponse(500, "[+]ping ok\n[-]etcd failed: reason withheld\n" + path.TrimStart('/') + " check failed"),
            _ => new ApiResponse(500, new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["status"] = "Failure",
                ["message"] = "etcdserver: request timed out",
                ["reason"] = "InternalError",
                ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = "etcdserver: request timed out" }) },
                ["code"] = 500,
            }.ToJsonString()),
        };
    }

    void ILabApiController.OnWritten(ResourcePath path, JsonObject? before, JsonObject? after)
    {
        if (_restoring) return; // a restore rewrites everything; nobody asked for anything
        if (after is not null && before is not null && path.Group == "operator.openshift.io" && StaticPods.ByOperatorResource(path.Resource) is { } spec
            && !JsonNode.DeepEquals(before["spec"]?["forceRedeploymentReason"], after["spec"]?["forceRedeploymentReason"]))
        {
            _forcedRedeployments.Add(spec.Resource);
        }
        if (after is null && before is not null && path is { Group: "machine.openshift.io", Resource: "machines" })
        {
            OnMachineDeleted(before);
        }
    }

    void ILabApiController.Advance(DateTimeOffset now) => AdvanceLocked(now);

    /// <summary>Replaces the API's keyspace (an etcd restore) without the model mistaking it for requests.</summary>
    internal void ReplaceKeyspace(IReadOnlyDictionary<string, JsonObject> objects, long revision)
    {
        _restoring = true;
        try
        {
            Api.RestoreObjects(objects, revision);
        }
        finally
        {
            _restoring = false;
        }
    }

    internal void MarkRestored()
    {
        RestoreEpoch++;
        RestoredAt = Now;
        ResetControllersAfterRestore();
    }
}
