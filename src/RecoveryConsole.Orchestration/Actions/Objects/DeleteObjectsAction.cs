using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Actions.Objects;

/// <summary>
/// <c>oc delete</c> of objects (<c>apiVersion</c>, <c>resource</c>, <c>namespace</c> unless cluster-scoped): by
/// <c>names</c>, by label <c>selector</c>, or <c>all: "true"</c>. <c>removeFinalizers: "true"</c> first removes
/// metadata.finalizers with a JSON patch (objects without any are left alone), as the documents do when the
/// controllers that would finalize them are gone. <c>ifMissing</c>: <c>fail</c> (default for names: checked for every
/// name before anything is deleted) or <c>skip</c> (default for a selector and all, where no match is not an error).
/// <c>waitGone</c> (a duration, default 0) polls on the run's clock until every deleted object is gone, and fails in
/// words naming those still there. Outputs <c>deleted</c> (names) and <c>count</c>.
/// </summary>
public sealed class DeleteObjectsAction : IStepAction
{
    public string Name => "deleteObjects";
    public IReadOnlyCollection<string> Arguments { get; } = ["apiVersion", "resource", "namespace", "names", "selector", "all", "removeFinalizers", "ifMissing", "waitGone"];
    public IReadOnlyCollection<string> Outputs { get; } = ["deleted", "count"];

    private const string RemoveFinalizersPatch = """[{"op":"remove","path":"/metadata/finalizers"}]""";

    private const string NothingDeleted = "nothing was deleted";

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var collection = ObjectCollection.FromArguments(context);
        var where = collection.Namespace ?? "the cluster";
        var names = KubeObjects.ListArgument(context, "names");
        var selector = context.Argument("selector", "");
        var all = context.Flag("all", NothingDeleted);
        var removeFinalizers = context.Flag("removeFinalizers", NothingDeleted);
        if ((names.Count > 0 ? 1 : 0) + (selector.Length > 0 ? 1 : 0) + (all ? 1 : 0) != 1)
            throw new StepFailedException("deleteObjects needs exactly one of 'names', 'selector' or all: \"true\"; nothing was deleted.");
        var skipMissing = context.Argument("ifMissing", names.Count > 0 ? "fail" : "skip") switch
        {
            "fail" => false,
            "skip" => true,
            var other => throw new StepFailedException($"ifMissing '{other}' is not fail or skip; nothing was deleted."),
        };
        var waitText = context.Argument("waitGone", "0");
        var waitGone = waitText == "0" ? TimeSpan.Zero
            : Durations.TryParse(waitText, out var parsed) ? parsed
            : throw new StepFailedException($"waitGone '{waitText}' is not a duration such as 30s, 5m or 1h; nothing was deleted.");

        // Every target is found before any is deleted, so a missing name stops the step with nothing lost.
        var targets = names.Count > 0
            ? await ByNameAsync(context, collection, names, skipMissing, cancellationToken)
            : await MatchingAsync(context, collection, selector, skipMissing, cancellationToken);

        var deleted = new List<string>();
        foreach (var item in targets)
        {
            var name = KubeObjects.Name(item);
            var path = $"{collection.Path}/{Uri.EscapeDataString(name)}";
            if (removeFinalizers && item["metadata"]?["finalizers"] is JsonArray { Count: > 0 } finalizers)
            {
                var patched = await context.Api.SendAsync(new ApiRequest("PATCH", path, RemoveFinalizersPatch, "application/json-patch+json"), cancellationToken);
                if (patched.Status == 404) { context.Output.Line(OutputStream.Stdout, $"{collection.Resource}/{name} is already gone"); deleted.Add(name); continue; }
                if (!patched.IsSuccess) throw Failed($"Removing the finalizers of {collection.Resource}/{name} in {where} answered HTTP {patched.Status}: {KubeObjects.ServerMessage(patched.Body)}.", deleted);
                context.Output.Line(OutputStream.Stdout, $"{collection.Resource}/{name} finalizers removed ({string.Join(", ", finalizers.Select(f => (string?)f))})");
            }
            var answer = await context.Api.SendAsync(new ApiRequest("DELETE", path), cancellationToken);
            if (answer.Status == 404) context.Output.Line(OutputStream.Stdout, $"{collection.Resource}/{name} is already gone");
            else if (!answer.IsSuccess) throw Failed($"Deleting {collection.Resource}/{name} in {where} answered HTTP {answer.Status}: {KubeObjects.ServerMessage(answer.Body)}.", deleted);
            else context.Output.Line(OutputStream.Stdout, Terminating(answer.Body) is { } held
                ? $"{collection.Resource}/{name} deleted, Terminating: finalizers {held} still hold it"
                : $"{collection.Resource}/{name} deleted");
            deleted.Add(name);
        }
        if (targets.Count == 0) context.Output.Line(OutputStream.Stdout, $"No {collection.Resource} matched in {where}: nothing to delete.");

        if (waitGone > TimeSpan.Zero && deleted.Count > 0)
        {
            var pending = deleted.ToList();
            await Polling.UntilAsync(context, $"{collection.Resource} {string.Join(", ", deleted)} gone from {where}", Every(waitGone), waitGone, async () =>
            {
                foreach (var name in pending.ToList())
                {
                    var read = await context.Api.SendAsync(new ApiRequest("GET", $"{collection.Path}/{Uri.EscapeDataString(name)}"), cancellationToken);
                    if (read.Status == 404) pending.Remove(name);
                    else if (!read.IsSuccess) throw new StepFailedException($"GET {collection.Resource}/{name} answered HTTP {read.Status} while waiting for it to go.");
                }
                return (pending.Count == 0, pending.Count == 0
                    ? $"{collection.Resource} gone: {string.Join(", ", deleted)}"
                    : $"still there: {string.Join(", ", pending.Select(n => $"{collection.Resource}/{n}"))}");
            }, cancellationToken);
        }
        context.SetOutput("deleted", KubeObjects.Strings(deleted));
        context.SetOutput("count", JsonValue.Create(deleted.Count));
    }

    private static async Task<List<JsonObject>> ByNameAsync(ActionContext context, ObjectCollection collection, IReadOnlyList<string> names, bool skipMissing, CancellationToken cancellationToken)
    {
        var found = new List<JsonObject>();
        var missing = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var read = await context.Api.SendAsync(new ApiRequest("GET", $"{collection.Path}/{Uri.EscapeDataString(name)}"), cancellationToken);
            if (read.Status == 404) { missing.Add(name); continue; }
            if (!read.IsSuccess) throw new StepFailedException($"GET {collection.Resource}/{name} answered HTTP {read.Status}: {KubeObjects.ServerMessage(read.Body)}. Nothing was deleted.");
            found.Add(JsonNode.Parse(read.Body) as JsonObject ?? throw new StepFailedException($"{collection.Resource}/{name} is not an object; nothing was deleted."));
        }
        if (missing.Count > 0 && !skipMissing)
            throw new StepFailedException($"{collection.Resource} not found in {collection.Namespace ?? "the cluster"}: {string.Join(", ", missing)}. Nothing was deleted (ifMissing: skip would delete the others).");
        foreach (var name in missing) context.Output.Line(OutputStream.Stdout, $"{collection.Resource}/{name} not found: skipped");
        return found;
    }

    private static async Task<List<JsonObject>> MatchingAsync(ActionContext context, ObjectCollection collection, string selector, bool skipMissing, CancellationToken cancellationToken)
    {
        var path = collection.Path + (selector.Length > 0 ? $"?labelSelector={Uri.EscapeDataString(selector)}" : "");
        var response = await context.Api.SendAsync(new ApiRequest("GET", path), cancellationToken);
        if (!response.IsSuccess) throw new StepFailedException($"GET {path} answered HTTP {response.Status}: {KubeObjects.ServerMessage(response.Body)}. Nothing was deleted.");
        var items = (JsonNode.Parse(response.Body)?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (items.Count == 0 && !skipMissing)
            throw new StepFailedException($"No {collection.Resource} matched in {collection.Namespace ?? "the cluster"}{(selector.Length > 0 ? $" with selector {selector}" : "")}, and ifMissing is fail.");
        return items;
    }

    /// <summary>Polls about ten times within the wait, between 1 s and 10 s apart.</summary>
    private static TimeSpan Every(TimeSpan wait) => TimeSpan.FromTicks(Math.Clamp(wait.Ticks / 10, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    private static string? Terminating(string body)
    {
        try
        {
            var metadata = JsonNode.Parse(body)?["metadata"];
            return metadata?["deletionTimestamp"] is not null && metadata["finalizers"] is JsonArray { Count: > 0 } f ? string.Join(", ", f.Select(x => (string?)x)) : null;
        }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private static StepFailedException Failed(string what, List<string> deleted) =>
        new($"{what} Deleted before it: {(deleted.Count == 0 ? "none" : string.Join(", ", deleted))}.");

}
