using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// Polls a static-pod operator until NodeInstallerProgressing says AllNodesAtLatestRevision and every node's
/// currentRevision equals latestAvailableRevision, as the document's `oc get ... -o=jsonpath=...` loop does.
/// </summary>
public sealed class WaitForRevisionAction : IStepAction
{
    public string Name => "waitForRevision";
    public IReadOnlyCollection<string> Arguments { get; } = ["operator", "every", "timeout", "minRevision"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var op = context.RequiredArgument("operator");
        var every = Durations.ParseOr(context.Argument("every", ""), TimeSpan.FromSeconds(10));
        var minRevision = long.TryParse(context.Argument("minRevision", "0"), out var m) ? m : 0;
        var timeout = Durations.ParseOr(context.Argument("timeout", ""), context.Timeout ?? TimeSpan.FromMinutes(30));
        var deadline = context.Clock.GetUtcNow() + timeout;
        string? lastMessage = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ApiResponse response;
            try { response = await context.Api.SendAsync(new ApiRequest("GET", StaticPodOperators.PathOf(op)), cancellationToken); }
            catch (ApiUnreachableException e) { response = new ApiResponse(0, e.Message); } // the API restarts during rollouts
            if (response.IsSuccess)
            {
                var state = StaticPodOperators.ReadRevisions(response.Body);
                var message = $"{state.Reason ?? "NoCondition"}: {state.Message ?? "(no message)"}";
                if (message != lastMessage) context.Output.Line(OutputStream.Stdout, message);
                lastMessage = message;
                if (state.AllAtLatest && state.LatestAvailable >= minRevision) return;
            }
            else
            {
                context.Output.Line(OutputStream.Stderr, response.Status == 0 ? $"GET {op}: no answer" : $"GET {op}: HTTP {response.Status}");
            }
            if (context.Clock.GetUtcNow() + every > deadline)
                throw new StepFailedException($"{op} did not reach AllNodesAtLatestRevision within {Durations.Format(timeout)} (last: {lastMessage ?? "no answer"}).");
            await Task.Delay(every, context.Clock, cancellationToken);
        }
    }
}
