using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>A resumed run's forgotten credentials: made again by an effect-free action, never read from storage.</summary>
internal sealed partial class RunExecutor
{
    private async Task RemakeSecretOutputsAsync(StepDefinition step, string instance, StepScope scope, StepExecution record)
    {
        if (step.Kind != StepKind.Action || env.Actions.Find(step.Action!.Name) is not IRemakeOnResume action) return;
        var forgotten = SecretNames(record).Where(n => !Variables.Has(scope.Layer, n)).ToList();
        if (forgotten.Count == 0) return;

        var output = new StepOutput(env.Feed, Run.Id, instance, scope.Host?.Name ?? "");
        output.System($"Resumed: {string.Join(", ", forgotten)} of '{step.Title}' (secret, never stored) made again by {action.Name}, which changes nothing.");
        Dictionary<string, string> arguments;
        try { arguments = step.Action.With.ToDictionary(kv => kv.Key, kv => TemplateRenderer.Render(kv.Value, scope.Values, Escaping.None)); }
        catch (TemplateException e) { throw new StepFailedException($"'{step.Title}' could not be made again on resume: {e.Message}"); }
        output.System($"action {action.Name} {env.Redactor.Redact(JsonSerializer.Serialize(arguments))}");
        var context = ActionContextFor(step, arguments, scope.Values, output);
        try { await action.ExecuteAsync(context, Stop); }
        catch (StepFailedException e) { throw new StepFailedException($"'{step.Title}' could not be made again on resume: {e.Message}", e.ExitCode); }
        foreach (var capture in step.Captures.Where(c => forgotten.Contains(c.Name) && c.Source == CaptureSource.ActionOutput))
        {
            Variables.Set(scope.Layer, capture.Name, context.Produced.GetValueOrDefault(capture.Expression!));
            output.System($"{capture.Name} = {Transcript.Redactor.Mask}");
        }
        await AuditAsync(AuditKinds.OutputsRemade, $"{instance}: {string.Join(", ", forgotten)} by {action.Name}");
    }

    private static IEnumerable<string> SecretNames(StepExecution record) =>
        record.OutputsJson is { } json && JsonNode.Parse(json) is JsonObject o && o["secret"] is JsonArray names
            ? names.Select(n => (string?)n).OfType<string>()
            : [];
}
