using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>The four static-pod operator resources the DR procedures force to redeploy (operator.openshift.io/v1).</summary>
public static class StaticPodOperators
{
    private static readonly Dictionary<string, string> Plurals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["etcd"] = "etcds",
        ["kubeapiserver"] = "kubeapiservers",
        ["kubecontrollermanager"] = "kubecontrollermanagers",
        ["kubescheduler"] = "kubeschedulers",
    };

    public static IReadOnlyCollection<string> Names => Plurals.Keys;

    public static string PathOf(string operatorName) => Plurals.TryGetValue(operatorName, out var plural)
        ? $"/apis/operator.openshift.io/v1/{plural}/cluster"
        : throw new StepFailedException($"Unknown static-pod operator '{operatorName}'; expected one of {string.Join(", ", Plurals.Keys)}.");

    /// <summary>The revision state that decides whether a rollout is done.</summary>
    public sealed record RevisionState(long LatestAvailable, IReadOnlyList<(string Node, long Current)> Nodes, string? Reason, string? Message)
    {
        public bool AllAtLatest => Reason == "AllNodesAtLatestRevision" && Nodes.Count > 0 && Nodes.All(n => n.Current == LatestAvailable);
    }

    public static RevisionState ReadRevisions(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new StepFailedException("The operator resource is empty.");
        var status = root["status"];
        var latest = status?["latestAvailableRevision"]?.GetValue<long>() ?? 0;
        var nodes = (status?["nodeStatuses"] as JsonArray ?? [])
            .Select(n => (n?["nodeName"]?.GetValue<string>() ?? "?", n?["currentRevision"]?.GetValue<long>() ?? 0))
            .ToList();
        var condition = (status?["conditions"] as JsonArray ?? [])
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "NodeInstallerProgressing");
        return new RevisionState(latest, nodes, condition?["reason"]?.GetValue<string>(), condition?["message"]?.GetValue<string>());
    }
}
