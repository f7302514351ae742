namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// `oc adm wait-for-stable-cluster`: every ClusterOperator Available, not Progressing, not Degraded, and staying so for
/// <c>minimumStable</c> (the command's --minimum-stable-period, 5 minutes by default).
/// </summary>
public sealed class WaitForStableClusterAction : IStepAction
{
    public string Name => "waitForStableCluster";
    public IReadOnlyCollection<string> Arguments { get; } = ["every", "timeout", "minimumStable"];

    public Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var minimumStable = Procedures.Model.Durations.ParseOr(context.Argument("minimumStable", ""), TimeSpan.FromMinutes(5));
        DateTimeOffset? stableSince = null;
        return Polling.UntilAsync(context, "A stable cluster", Polling.Every(context, TimeSpan.FromSeconds(10)), Polling.Timeout(context, TimeSpan.FromMinutes(60)), async () =>
        {
            var operators = await KubeObjects.TryListAsync(context.Api, KubeObjects.ClusterOperators, cancellationToken);
            if (operators is null) { stableSince = null; return (false, "the API does not answer yet"); }
            var unstable = operators.Where(o => KubeObjects.Condition(o, "Available") != "True" || KubeObjects.Condition(o, "Progressing") != "False"
                                                || KubeObjects.Condition(o, "Degraded") != "False").Select(KubeObjects.Name).ToList();
            if (unstable.Count > 0) { stableSince = null; return (false, $"not yet stable: {string.Join(", ", unstable)}"); }
            var now = context.Clock.GetUtcNow();
            stableSince ??= now;
            return (now - stableSince >= minimumStable, $"all {operators.Count} cluster operators available, not progressing, not degraded");
        }, cancellationToken);
    }
}
