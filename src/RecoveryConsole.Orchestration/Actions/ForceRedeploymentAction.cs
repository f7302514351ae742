using System.Text.Json;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// `oc patch <operator> cluster -p '{"spec": {"forceRedeploymentReason": "..."}}' --type=merge`: the reason gets a
/// timestamp so that it always changes (an unchanged reason triggers nothing).
/// </summary>
public sealed class ForceRedeploymentAction : IStepAction
{
    public string Name => "forceRedeployment";
    public IReadOnlyCollection<string> Arguments { get; } = ["operator", "reason"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var op = context.RequiredArgument("operator");
        var reason = $"{context.Argument("reason", "recovery")}-{context.Clock.GetUtcNow():yyyyMMddHHmmss}";
        var body = JsonSerializer.Serialize(new { spec = new { forceRedeploymentReason = reason } });
        var response = await context.Api.SendAsync(
            new ApiRequest("PATCH", StaticPodOperators.PathOf(op), body, "application/merge-patch+json"), cancellationToken);
        if (!response.IsSuccess)
            throw new StepFailedException($"Forcing a redeployment of {op} failed: HTTP {response.Status}.");
        var state = StaticPodOperators.ReadRevisions(response.Body);
        context.Output.Line(OutputStream.Stdout, $"{op}.operator.openshift.io/cluster patched (forceRedeploymentReason={reason}, latestAvailableRevision={state.LatestAvailable})");
    }
}
