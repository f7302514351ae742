using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Compute steps: values built from the operator's choices (INITIAL_CLUSTER from the chosen hosts), written to the
/// transcript and, with <c>review: true</c>, shown to the operator, who confirms them before any later step sees them.
/// </summary>
internal sealed partial class RunExecutor
{
    private async Task ComputeAsync(StepDefinition step, string instance, StepExecution summary, StepScope scope, StepOutput output)
    {
        var spec = step.Compute!;
        var computed = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        try
        {
            foreach (var value in spec.Values)
                computed[value.Name] = JsonValue.Create(ComputedValues.Render(value, scope, active.Cluster.Info));
        }
        catch (StepFailedException e)
        {
            output.System($"✗ {e.Message}");
            await FailAsync(summary, e.Message);
            throw;
        }
        var shown = string.Join("; ", computed.Select(kv => $"{kv.Key} = {Shown(kv.Value)}"));
        foreach (var (name, value) in computed) output.System($"Computed {name} = {Shown(value)}");
        if (spec.Review)
        {
            var bookmark = new TaskCompletionSource<Bookmark>(TaskCreationOptions.RunContinuationsAsynchronously);
            active.Bookmarks[instance] = bookmark;
            await MutateAsync(r =>
            {
                summary.Wait(StepStatus.WaitingForOperator, $"Review before it is used: {shown}. Confirm only if it is right; otherwise cancel the run.");
                RefreshWaitingStatus(r);
            });
            output.System($"Waiting for the operator to review: {shown}");
            var confirmation = await bookmark.Task.WaitAsync(Stop);
            active.Bookmarks.TryRemove(instance, out _);
            output.System($"Reviewed and confirmed by {confirmation.Actor}: {shown}{(confirmation.Text is { Length: > 0 } note ? $" ({note})" : "")}");
            await AuditAsync(AuditKinds.ValueReviewed, $"{instance}: {shown}", confirmation.Actor);
        }
        // Only now, reviewed where asked: later steps see the values, and a resumed run rebuilds them from the record.
        foreach (var (name, value) in computed) Variables.Set(scope.Layer, name, value);
        await MutateAsync(r =>
        {
            summary.Start(Now);
            summary.RecordOutputs(RunVariables.Record(scope.Layer, computed));
            summary.Finish(StepStatus.Succeeded, Now, spec.Review ? "Reviewed by the operator." : null);
            RefreshWaitingStatus(r);
        });
    }
}
