using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Objects;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Objects;

/// <summary>
/// Saves objects as manifests in the run's artifacts, one per object, so that applyObjects can create them again
/// (on another management cluster, say). Arguments: <c>apiVersion</c>, <c>resource</c> (plural, as in the URL),
/// <c>namespace</c>, <c>selector</c> or <c>names</c>, <c>namesMatching</c> / <c>namesNotMatching</c> (regular expressions
/// over the names: the document's <c>grep "^name"</c> and <c>egrep -v</c>), <c>typesNotMatching</c> (over a secret's
/// <c>type</c>: <c>egrep -v "docker|service-account-token"</c> matched the TYPE column too), <c>set</c> (the name the manifests are found by), <c>transforms</c>
/// (applied before saving, see <see cref="ObjectTransform"/>). Outputs the artifacts' names, the set and the count.
/// </summary>
public sealed class SaveObjectsAction : IStepAction
{
    public string Name => "saveObjects";
    public IReadOnlyCollection<string> Arguments { get; } = ["apiVersion", "resource", "namespace", "selector", "names", "namesMatching", "namesNotMatching", "typesNotMatching", "set", "transforms"];
    public IReadOnlyCollection<string> Outputs { get; } = ["artifacts", "set", "count"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var collection = ObjectCollection.FromArguments(context);
        var transforms = Transforms(context);
        var names = KubeObjects.ListArgument(context, "names");
        var selector = context.Argument("selector", "");
        var set = context.Argument("set", $"{collection.Resource}-{context.Clock.GetUtcNow():yyyyMMdd-HHmmss}");
        var path = collection.Path + (selector.Length > 0 ? $"?labelSelector={Uri.EscapeDataString(selector)}" : "");
        var response = await context.Api.SendAsync(new ApiRequest("GET", path), cancellationToken);
        if (!response.IsSuccess) throw new StepFailedException($"GET {path} answered HTTP {response.Status}; nothing was saved.");
        var list = JsonNode.Parse(response.Body) as JsonObject;
        var objects = (list?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        // A list's items carry no kind on real servers; the list's own kind names it (HostedClusterList).
        var listKind = (string?)list?["kind"] is { Length: > 4 } k && k.EndsWith("List", StringComparison.Ordinal) ? k[..^4] : null;
        if (names.Count > 0)
        {
            var missing = names.Except(objects.Select(KubeObjects.Name), StringComparer.Ordinal).ToList();
            if (missing.Count > 0) throw new StepFailedException($"{collection.Resource} not found in {collection.Namespace ?? "the cluster"}: {string.Join(", ", missing)}. Nothing was saved.");
            objects = objects.Where(o => names.Contains(KubeObjects.Name(o))).ToList();
        }
        var (matching, notMatching, typesNot) = (NameFilter(context, "namesMatching"), NameFilter(context, "namesNotMatching"), NameFilter(context, "typesNotMatching"));
        objects = objects.Where(o => (matching?.IsMatch(KubeObjects.Name(o)) ?? true) && !(notMatching?.IsMatch(KubeObjects.Name(o)) ?? false)
            && !(typesNot?.IsMatch((string?)o["type"] ?? "") ?? false)).ToList();
        if (objects.Count == 0) throw new StepFailedException($"No {collection.Resource} matched in {collection.Namespace ?? "the cluster"}{(selector.Length > 0 ? $" with selector {selector}" : "")}: nothing to save.");

        var saved = new JsonArray();
        foreach (var item in objects)
        {
            var name = KubeObjects.Name(item);
            // A manifest must carry its kind and apiVersion to be created again.
            item["apiVersion"] ??= collection.ApiVersion;
            item["kind"] ??= listKind ?? throw new StepFailedException($"The server did not say the kind of {collection.Resource}; nothing more was saved.");
            ObjectTransform.ApplyAll(transforms, item);
            var artifactName = collection.ManifestName(name);
            var bytes = Encoding.UTF8.GetBytes(item.ToJsonString(Indented) + "\n");
            try
            {
                var artifact = await store.SaveAsync(context.RunId, artifactName, new MemoryStream(bytes), $"{context.Cluster?.Name}:{collection.Path}/{name}", new Dictionary<string, string>
                {
                    ["kind"] = ObjectCollection.ManifestKind,
                    ["objectSet"] = set,
                    ["cluster"] = context.Cluster?.Name ?? "",
                    ["apiVersion"] = collection.ApiVersion,
                    ["resource"] = collection.Resource,
                    ["namespace"] = collection.Namespace ?? "",
                    ["name"] = name,
                }, cancellationToken);
                context.Output.Line(OutputStream.Stdout, $"{collection.Resource}/{name} -> {artifactName} ({artifact.Bytes} bytes, sha256 {artifact.Sha256})");
            }
            catch (Exception e) when (e is ArgumentException or IOException) { throw new StepFailedException($"{collection.Resource}/{name} could not be saved: {e.Message}", inner: e); }
            saved.Add(artifactName);
        }
        context.SetOutput("artifacts", saved);
        context.SetOutput("set", JsonValue.Create(set));
        context.SetOutput("count", JsonValue.Create(saved.Count));
    }

    private static System.Text.RegularExpressions.Regex? NameFilter(ActionContext context, string argument)
    {
        var pattern = context.Argument(argument, "");
        if (pattern.Length == 0) return null;
        try { return new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)); }
        catch (ArgumentException e) { throw new StepFailedException($"{argument} '{pattern}' is not a regular expression ({e.Message}); nothing was saved.", inner: e); }
    }

    internal static IReadOnlyList<ObjectTransform> Transforms(ActionContext context)
    {
        try { return ObjectTransform.ParseList(context.Argument("transforms", "")); }
        catch (FormatException e) { throw new StepFailedException(e.Message, inner: e); }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
