using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>Loops over data: a step once per item of a list, a group in rounds until a condition holds.</summary>
internal sealed partial class RunExecutor
{
    /// <summary>
    /// The loop's own record, then one record per item (<c>step[key]</c>), so a resume continues with the first item not
    /// done. A destructive loop asks once, showing every item, before the first one runs.
    /// </summary>
    private async Task ItemsAsync(StepDefinition step, ItemLoop loop, string instance, StepScope scope, bool covered)
    {
        var summary = await MutateAsync(r => r.StepOn(instance, "", step.Title));
        if (summary.Status.IsDone()) return;
        var output = new StepOutput(env.Feed, Run.Id, instance, scope.Host?.Name ?? "");
        if (step.When is { } when && !Holds(when, scope, instance))
        {
            output.System($"Skipped: condition '{when}' is false.");
            await MutateAsync(_ => summary.Finish(StepStatus.Skipped, Now, $"Condition '{when}' is false."));
            return;
        }
        List<(string Key, JsonNode? Item)> items;
        try { items = ItemsOf(loop, scope); }
        catch (StepFailedException e) { await FailAsync(summary, e.Message); throw; }
        var chosen = new List<(string Key, JsonNode? Item)>();
        foreach (var (key, item) in items)
        {
            var itemScope = ForItem(scope, InstancePaths.Iteration(instance, key), loop.As, item);
            if (loop.Where is null || Holds(loop.Where, itemScope, instance)) chosen.Add((key, item));
            else output.System($"{loop.As} {key}: skipped, '{loop.Where}' is false.");
        }
        var stepNoLoop = step with { ForEachItem = null, When = null };
        if (step.Destructive && !covered)
        {
            await ApprovalGateAsync(step, instance, summary, [], scope, output, chosen.Select(c => c.Key).ToList());
            covered = true;
        }
        await MutateAsync(_ => summary.Start(Now));
        output.System($"▶ {step.Title}{(step.Section.Length > 0 ? $"  [{step.Section}]" : "")}  for {chosen.Count} item(s): {string.Join(", ", chosen.Select(c => c.Key))}");
        try
        {
            if (loop.Parallel)
            {
                var tasks = chosen.Select(c => ExecuteInstanceAsync(stepNoLoop, InstancePaths.Iteration(instance, c.Key),
                    ForItem(scope, InstancePaths.Iteration(instance, c.Key), loop.As, c.Item), covered)).ToList();
                await AllAsync(tasks, chosen.Select(c => c.Key).ToList());
            }
            else
            {
                foreach (var (key, item) in chosen)
                {
                    var itemInstance = InstancePaths.Iteration(instance, key);
                    await ExecuteInstanceAsync(stepNoLoop, itemInstance, ForItem(scope, itemInstance, loop.As, item), covered);
                }
            }
            await MutateAsync(_ => summary.Finish(StepStatus.Succeeded, Now, chosen.Count == 0 ? "No item to act on." : null));
        }
        catch (StepFailedException e) { await FailAsync(summary, e.Message, e.ExitCode); throw; }
        catch (OperationCanceledException) when (Stop.IsCancellationRequested) { await MutateAsync(_ => summary.Finish(CutShort, Now)); throw; }
    }

    /// <summary>Rounds <c>step[round-N]</c> until the condition holds after a round; each round's captures are its own.</summary>
    private async Task RoundsAsync(StepDefinition group, RepeatSpec repeat, string instance, StepScope scope, bool covered)
    {
        var output = new StepOutput(env.Feed, Run.Id, instance, scope.Host?.Name ?? "");
        for (var round = 1; ; round++)
        {
            var roundInstance = InstancePaths.Iteration(instance, $"round-{round}");
            var record = await MutateAsync(r => r.StepOn(roundInstance, "", $"{group.Title} (round {round})"));
            var roundScope = scope.At(roundInstance);
            if (!record.Status.IsDone())
            {
                await MutateAsync(_ => record.Start(Now));
                try
                {
                    await ChildrenAsync(group, roundScope, covered);
                    await MutateAsync(_ => record.Finish(StepStatus.Succeeded, Now));
                }
                catch (StepFailedException e) { await FailAsync(record, e.Message, e.ExitCode); throw; }
                catch (OperationCanceledException) when (Stop.IsCancellationRequested) { await MutateAsync(_ => record.Finish(CutShort, Now)); throw; }
            }
            if (Holds(repeat.Until, roundScope, instance))
            {
                output.System($"'{repeat.Until}' holds after round {round}.");
                return;
            }
            if (round >= repeat.Max)
                throw new StepFailedException($"'{repeat.Until}' still does not hold after {repeat.Max} round(s).");
            output.System($"'{repeat.Until}' does not hold yet after round {round}; next round{(repeat.Every > TimeSpan.Zero ? $" in {Durations.Format(repeat.Every)}" : "")}.");
            if (repeat.Every > TimeSpan.Zero) await Task.Delay(repeat.Every, WaitClock, Stop);
        }
    }

    private StepScope ForItem(StepScope scope, string itemInstance, string name, JsonNode? item)
    {
        Variables.Set(itemInstance, name, item);
        return scope.At(itemInstance);
    }

    /// <summary>The items with a stable key each: the key field, or the item's own text, made safe for an instance path.</summary>
    private List<(string Key, JsonNode? Item)> ItemsOf(ItemLoop loop, StepScope scope)
    {
        IEnumerable<JsonNode?> items;
        if (loop.Items is null) items = loop.Literal.Select(l => (JsonNode?)JsonValue.Create(l));
        else if (Variables.Find(scope.Prefix, loop.Items) is { } variable)
            items = variable is JsonArray list ? list.Select(i => i?.DeepClone()) : [variable.DeepClone()];
        else if (scope.Values.TryGetValue(loop.Items, out var parameter))
            items = TemplateValues.Items(parameter).Select(i => (JsonNode?)JsonValue.Create(i));
        else throw new StepFailedException($"forEach: '{loop.Items}' has no value yet (no step captured it).");

        var result = new List<(string, JsonNode?)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var raw = loop.Key is { } field && item is JsonObject obj ? RunVariables.Text(obj[field]) : RunVariables.Text(item);
            var key = UnsafeKey().Replace(raw, "_");
            if (key.Length == 0) key = "_";
            while (!seen.Add(key)) key += "_";
            result.Add((key, item));
        }
        return result;
    }

    [GeneratedRegex(@"[\[\]/\s]")]
    private static partial Regex UnsafeKey();

    /// <summary>All at once (hosts or items): let every one finish, then report each one that failed by its name.</summary>
    private static async Task AllAsync(IReadOnlyList<Task> tasks, IReadOnlyList<string> names)
    {
        try { await Task.WhenAll(tasks); }
        catch
        {
            var failed = tasks.Select((t, i) => (Task: t, Name: names[i])).Where(t => t.Task.IsFaulted).ToList();
            if (failed.Any(t => t.Task.Exception!.InnerException is not StepFailedException)) throw;
            throw new StepFailedException(string.Join(" ", failed.Select(t => $"{t.Name}: {t.Task.Exception!.InnerException!.Message}")));
        }
    }
}
