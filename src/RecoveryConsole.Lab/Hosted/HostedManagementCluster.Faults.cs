using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Scenarios;

namespace RecoveryConsole.Lab.Hosted;

public sealed partial class HostedManagementCluster
{
    /// <summary>The bbolt file of a member is corrupted: the member crash-loops (panic at start).</summary>
    internal void CorruptMember(string pod)
    {
        lock (Api.SyncRoot)
        {
            var volume = Volumes.GetValueOrDefault(pod.Replace("etcd-", "data-etcd-", StringComparison.Ordinal));
            if (volume?.Member is null) throw new LabScenarioException($"fault corruptEtcdMember: {Name} has no etcd member {pod} with data");
            volume.Member.Corrupted = true;
            Reconcile();
        }
    }

    /// <summary>The management cluster's own upgrade failed: ClusterVersion Failing, the hosted cluster must move.</summary>
    internal void FailUpgrade(string version, string? message)
    {
        lock (Api.SyncRoot)
        {
            UpgradeFailed = true;
            const string path = "/apis/config.openshift.io/v1/clusterversions/version";
            var cv = Get(path) ?? new JsonObject();
            var status = cv["status"] as JsonObject ?? [];
            cv["status"] = status;
            cv["spec"] ??= new JsonObject();
            cv["spec"]!["desiredUpdate"] = new JsonObject { ["version"] = version };
            var now = Cluster.Clock.UtcNow;
            var text = message ?? $"Multiple errors are preventing progress: Cluster operators etcd, kube-apiserver are degraded; could not upgrade to {version}";
            Conditions.Set(status, "Failing", "True", "MultipleErrors", text, now);
            Conditions.Set(status, "Progressing", "True", "MultipleErrors", $"Unable to apply {version}: an unknown error has occurred: MultipleErrors", now);
            Put(path, cv);
        }
    }
}
