namespace RecoveryConsole.Orchestration.Actions;

/// <summary>`oc get nodes -w` until the named nodes (default: every node) report Ready.</summary>
public sealed class WaitForNodesReadyAction : IStepAction
{
    public string Name => "waitForNodesReady";
    public IReadOnlyCollection<string> Arguments { get; } = ["nodes", "every", "timeout"];

    public Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var wanted = KubeObjects.ListArgument(context, "nodes");
        return Polling.UntilAsync(context, "Every node Ready", Polling.Every(context, TimeSpan.FromSeconds(10)), Polling.Timeout(context, TimeSpan.FromMinutes(20)), async () =>
        {
            var nodes = await KubeObjects.TryListAsync(context.Api, KubeObjects.Nodes, cancellationToken);
            if (nodes is null) return (false, "the API does not answer yet");
            var relevant = wanted.Count == 0 ? nodes : nodes.Where(n => wanted.Contains(KubeObjects.Name(n))).ToList();
            var missing = wanted.Where(w => nodes.All(n => KubeObjects.Name(n) != w)).ToList();
            var notReady = relevant.Where(n => !KubeObjects.IsReady(n)).Select(KubeObjects.Name).Concat(missing).ToList();
            return (notReady.Count == 0 && relevant.Count > 0,
                notReady.Count == 0 ? $"{relevant.Count} node(s) Ready" : $"NotReady: {string.Join(", ", notReady)}");
        }, cancellationToken);
    }
}
