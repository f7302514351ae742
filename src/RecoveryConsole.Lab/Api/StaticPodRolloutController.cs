using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>
/// Simulates the installer controller of the static-pod operators (etcd, kube-apiserver, kube-controller-manager,
/// kube-scheduler): a new spec.forceRedeploymentReason creates revision N+1, and the control-plane nodes move to
/// it one at a time, one per rollout step, while NodeInstallerProgressing reports the counts as library-go words them.
/// Driven lazily from the clock, so a fake TimeProvider makes it deterministic.
/// </summary>
internal sealed class StaticPodRolloutController(LabObjectStore store, LabClock clock, TimeSpan stepDelay) : ILabApiController
{
    public const string Group = "operator.openshift.io";
    public const string ConditionType = "NodeInstallerProgressing";
    public static readonly IReadOnlyList<string> Resources = ["etcds", "kubeapiservers", "kubecontrollermanagers", "kubeschedulers"];

    private sealed class Rollout(ResourcePath path, long revision, DateTimeOffset started, List<string> nodes)
    {
        public ResourcePath Path { get; } = path;
        public long Revision { get; } = revision;
        public DateTimeOffset Started { get; } = started;
        public List<string> Nodes { get; } = nodes; // nodes still to update, in nodeStatuses order
        public int Done { get; set; }
    }

    private readonly Dictionary<string, Rollout> _rollouts = new(StringComparer.Ordinal);

    public static bool IsOperator(ResourcePath path) =>
        path.Group == Group && Resources.Contains(path.Resource) && path.Name is not null;

    public void OnWritten(ResourcePath path, JsonObject? before, JsonObject? after)
    {
        if (!IsOperator(path)) return;
        if (after is null)
        {
            _rollouts.Remove(path.ObjectKey);
            return;
        }
        // Creation seeds a state; only a changed reason on an existing operator asks for a new revision.
        if (before is null || JsonNode.DeepEquals(before["spec"]?["forceRedeploymentReason"], after["spec"]?["forceRedeploymentReason"])) return;

        var status = after["status"] as JsonObject ?? [];
        var revision = ((long?)status["latestAvailableRevision"] ?? 0) + 1;
        var nodes = NodeStatuses(status).Where(n => (long?)n["currentRevision"] != revision).Select(n => (string)n["nodeName"]!).ToList();
        var rollout = new Rollout(path, revision, clock.UtcNow, nodes);
        _rollouts[path.ObjectKey] = rollout;
        Apply(rollout, after);
    }

    public void Advance(DateTimeOffset now)
    {
        foreach (var rollout in _rollouts.Values.ToList())
        {
            var delay = clock.Scale(stepDelay);
            var done = delay <= TimeSpan.Zero
                ? rollout.Nodes.Count
                : (int)Math.Min(rollout.Nodes.Count, Math.Max(0, (now - rollout.Started).Ticks / delay.Ticks));
            if (done == rollout.Done) continue;
            rollout.Done = done;
            if (store.Get(rollout.Path) is { } current) Apply(rollout, current);
        }
    }

    private void Apply(Rollout rollout, JsonObject obj)
    {
        if (obj["status"] is not JsonObject status)
        {
            status = [];
            obj["status"] = status;
        }
        status["latestAvailableRevision"] = rollout.Revision;
        foreach (var node in NodeStatuses(status))
        {
            var index = rollout.Nodes.IndexOf((string?)node["nodeName"] ?? "");
            if (index < 0) continue;
            if (index < rollout.Done)
            {
                node["currentRevision"] = rollout.Revision;
                node.Remove("targetRevision"); // 0 once installed; the real operator omits it
            }
            else if (index == rollout.Done)
            {
                node["targetRevision"] = rollout.Revision; // this node's installer is running
            }
            else
            {
                node.Remove("targetRevision");
            }
        }

        var revisions = NodeStatuses(status).Select(n => (long?)n["currentRevision"] ?? 0).ToList();
        var progressing = revisions.Any(r => r != rollout.Revision);
        Conditions.Set(status, ConditionType, progressing ? "True" : "False",
            progressing ? "NodeInstaller" : "AllNodesAtLatestRevision", Message(revisions, rollout.Revision), clock.UtcNow);
        if (!progressing) _rollouts.Remove(rollout.Path.ObjectKey);
        store.Replace(rollout.Path, obj);
    }

    /// <summary>"2 nodes are at revision 6; 1 node is at revision 7", plus "0 nodes have achieved new revision N" while none has.</summary>
    public static string Message(IReadOnlyCollection<long> currentRevisions, long latestRevision)
    {
        var parts = currentRevisions.GroupBy(r => r).OrderBy(g => g.Key)
            .Select(g => g.Count() == 1 ? $"1 node is at revision {g.Key}" : $"{g.Count()} nodes are at revision {g.Key}")
            .ToList();
        if (currentRevisions.Count > 0 && !currentRevisions.Contains(latestRevision))
            parts.Add($"0 nodes have achieved new revision {latestRevision}");
        return string.Join("; ", parts);
    }

    private static IEnumerable<JsonObject> NodeStatuses(JsonObject status) =>
        (status["nodeStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
