using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;

namespace RecoveryConsole.Lab.Hosted;

/// <summary>
/// The health of the hosted-control-planes estate, judged from its state: the hosted cluster must be served by exactly
/// one management cluster that is itself sound, with etcd whole, reconciliation running, the API servers up, the
/// seeded data present, nodes Ready, OVN pods current and DNS pointing at the serving control plane. Every cluster of
/// the estate reports the same problems (the drill is about the hosted cluster, wherever it lives).
/// </summary>
public static class HostedHealth
{
    public const string EtcdMemberCrashLoop = "hosted-etcd-member-crashloop";
    public const string EtcdQuorumLost = "hosted-etcd-quorum-lost";
    public const string EtcdRestoreFailed = "hosted-etcd-restore-failed";
    public const string Paused = "hosted-reconciliation-paused";
    public const string ApiServersScaledDown = "hosted-apiservers-scaled-down";
    public const string Unavailable = "hosted-cluster-unavailable";
    public const string NodesNotReady = "hosted-nodes-not-ready";
    public const string OvnStale = "hosted-ovn-pods-stale";
    public const string SourceStillActive = "hosted-source-still-active";
    public const string OnFailedManagement = "hosted-on-failed-management-cluster";
    public const string DataLost = "hosted-data-lost";
    public const string DnsStale = "hosted-dns-stale";
    public const string NotHosted = "hosted-cluster-missing";

    public static LabHealthReport Diagnose(HostedEstate estate, LabCluster reporting)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(reporting);
        var problems = new List<LabProblem>();
        var managements = estate.Management.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        foreach (var m in managements) m.Sync();
        var hosting = managements.Where(m => m.Get(HostedManagementCluster.Hc) is not null).ToList();
        if (hosting.Count == 0)
            problems.Add(new LabProblem(NotHosted, HostedEstate.ClusterName, $"no management cluster has a HostedCluster {HostedEstate.ClusterNamespace}/{HostedEstate.ClusterName}"));

        foreach (var m in hosting)
        {
            var hc = m.Get(HostedManagementCluster.Hc)!;
            var subject = $"{m.Name}/{HostedEstate.ClusterName}";
            if (m.UpgradeFailed)
                problems.Add(new LabProblem(OnFailedManagement, m.Name, $"the management cluster {m.Name} failed its upgrade and still hosts {HostedEstate.ClusterName}: move the hosted cluster to another management cluster"));
            var others = managements.Where(o => o != m && o.CanServe).ToList();
            if (m.CanServe && others.Count > 0)
                problems.Add(new LabProblem(SourceStillActive, subject, $"the control planes on {m.Name} and {string.Join(", ", others.Select(o => o.Name))} are both active for {HostedEstate.ClusterName} (split brain)"));
            else if (!m.CanServe && others.Count > 0)
            {
                problems.Add(new LabProblem(SourceStillActive, subject, $"{m.Name} still has the HostedCluster of {HostedEstate.ClusterName}, which {others[0].Name} now runs: finish the teardown on {m.Name}"));
                continue; // an old, inactive copy: its paused state and scaled-down servers are expected
            }
            foreach (var np in new[] { (Path: HostedManagementCluster.Hc, Kind: "HostedCluster"), (Path: HostedManagementCluster.Np, Kind: "NodePool") })
            {
                var obj = m.Get(np.Path);
                if (obj is not null && m.IsPaused(obj))
                    problems.Add(new LabProblem(Paused, $"{m.Name}/{np.Kind}", $"{np.Kind} reconciliation is paused (spec.pausedUntil: {(string?)obj["spec"]?["pausedUntil"]})"));
            }
            foreach (var name in HostedManagementCluster.ApiServers)
            {
                var d = m.Get(HostedManagementCluster.Deployment(name));
                if (d is not null && HostedManagementCluster.Replicas(d) == 0)
                    problems.Add(new LabProblem(ApiServersScaledDown, $"{m.Name}/{name}", $"deployment {HostedManagementCluster.Cp}/{name} is scaled to 0"));
            }
            if (m.RestoreFailure is { } failure) problems.Add(new LabProblem(EtcdRestoreFailed, $"{m.Name}/etcd-0", failure));
            foreach (var (pod, state) in m.MemberStates.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (state.State == "CrashLoopBackOff")
                    problems.Add(new LabProblem(EtcdMemberCrashLoop, $"{m.Name}/{pod}", $"etcd member {pod} is in CrashLoopBackOff: {state.Message}"));
            }
            var sts = m.Get(HostedManagementCluster.EtcdSts);
            if (m.QuorumDataset is null && m.RestoreFailure is null)
                problems.Add(new LabProblem(EtcdQuorumLost, $"{m.Name}/etcd", $"etcd of {HostedManagementCluster.Cp} has no quorum ({m.MemberStates.Count(s => s.Value is { State: "Running", Reason: "" or "NoQuorum" })} of {(sts is null ? 0 : HostedManagementCluster.Replicas(sts))} members running)"));
            if (!m.CanServe)
                problems.Add(new LabProblem(Unavailable, subject, $"HostedCluster {HostedEstate.ClusterName} is not Available on {m.Name}: {(string?)Conditions(hc, "Available")?["message"] ?? "no control plane"}"));
        }

        if (estate.Serving is not null && estate.Guest is { } guest)
        {
            var keys = estate.Keys(estate.Serving);
            foreach (var key in HostedEstate.PreciousKeys.Where(k => !keys.ContainsKey(k)))
                problems.Add(new LabProblem(DataLost, key, $"the hosted cluster lost {key}: its etcd was started empty or restored from the wrong data"));
            guest.Sync();
            var notReady = guest.NotReadyNodes();
            if (notReady.Count > 0) problems.Add(new LabProblem(NodesNotReady, HostedEstate.HostedName, $"nodes not Ready: {string.Join(", ", notReady)}"));
            var stale = guest.StaleOvnPods();
            if (stale.Count > 0) problems.Add(new LabProblem(OvnStale, HostedEstate.HostedName, $"OVN-Kubernetes pods started under the previous management cluster: {string.Join(", ", stale)} (delete them)"));
            foreach (var (host, target) in estate.Route53.Records.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                if (estate.Route53.OwnerOf(host) != estate.ServingFrom)
                    problems.Add(new LabProblem(DnsStale, host, $"Route53 record {host} points to {target} ({estate.Route53.OwnerOf(host)}), not to {estate.ServingFrom}"));
            }
        }
        else if (hosting.Count > 0 && !problems.Any(p => p.Code == Unavailable))
        {
            problems.Add(new LabProblem(Unavailable, HostedEstate.ClusterName, "no control plane serves the hosted cluster's API"));
        }
        return new LabHealthReport(reporting.Info.Name, reporting.Clock.UtcNow, problems);
    }

    private static JsonObject? Conditions(JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
}
