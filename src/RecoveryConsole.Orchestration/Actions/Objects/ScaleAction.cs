using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Objects;

/// <summary>
/// <c>oc scale --replicas=N</c> through the scale subresource of deployments or statefulsets (<c>kind</c>) in
/// <c>namespace</c>: the <c>names</c> given, or <c>all: "true"</c> (every one of that kind there, as <c>oc scale --all</c>).
/// Every target is read before any is scaled, and a scale-down of a StatefulSet whose
/// persistentVolumeClaimRetentionPolicy.whenScaled is Delete is refused with nothing scaled: its controller would delete
/// the claims, and the data, of the removed pods. Outputs the replicas each had before, so a later step can scale back.
/// </summary>
public sealed class ScaleAction : IStepAction
{
    public string Name => "scale";
    public IReadOnlyCollection<string> Arguments { get; } = ["kind", "namespace", "names", "all", "replicas"];
    public IReadOnlyCollection<string> Outputs { get; } = ["previous"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var resource = context.Argument("kind", "deployments") switch
        {
            "deployment" or "deployments" => "deployments",
            "statefulset" or "statefulsets" => "statefulsets",
            var other => throw new StepFailedException($"kind '{other}' cannot be scaled here: use deployments or statefulsets."),
        };
        var ns = context.RequiredArgument("namespace");
        if (!int.TryParse(context.RequiredArgument("replicas"), out var replicas) || replicas < 0)
            throw new StepFailedException($"replicas '{context.Argument("replicas", "")}' is not a whole number of 0 or more.");
        var all = context.Flag("all", "nothing was scaled");
        var names = KubeObjects.ListArgument(context, "names");
        if (names.Count == 0 == !all) throw new StepFailedException("The action needs either the argument 'names' or all: \"true\"; nothing was scaled.");
        var collection = $"/apis/apps/v1/namespaces/{Uri.EscapeDataString(ns)}/{resource}";

        var targets = all ? await KubeObjects.ListAsync(context.Api, collection, cancellationToken) : await ReadAsync(context, collection, resource, ns, names, cancellationToken);
        var refusals = targets.Select(t => RetentionRefusal(resource, ns, t, replicas)).OfType<string>().ToList();
        if (refusals.Count > 0) throw new StepFailedException(string.Join(" ", refusals) + " Nothing was scaled.");
        if (targets.Count == 0) context.Output.Line(OutputStream.Stdout, $"No {resource} in {ns}: nothing to scale.");

        var previous = new JsonObject();
        foreach (var target in targets)
        {
            var name = KubeObjects.Name(target);
            var path = $"{collection}/{Uri.EscapeDataString(name)}/scale";
            var before = await context.Api.SendAsync(new ApiRequest("GET", path), cancellationToken);
            if (!before.IsSuccess) throw new StepFailedException($"{resource}/{name} in {ns}: GET scale answered HTTP {before.Status}; nothing more was scaled.");
            var had = (int?)JsonNode.Parse(before.Body)?["spec"]?["replicas"] ?? 0;
            var body = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }.ToJsonString();
            var answer = await context.Api.SendAsync(new ApiRequest("PATCH", path, body, "application/merge-patch+json"), cancellationToken);
            if (!answer.IsSuccess) throw new StepFailedException($"{resource}/{name} in {ns}: scaling answered HTTP {answer.Status}; nothing more was scaled.");
            context.Output.Line(OutputStream.Stdout, $"{resource}/{name} scaled from {had} to {replicas}");
            previous[name] = had;
        }
        context.SetOutput("previous", previous);
    }

    private static async Task<List<JsonObject>> ReadAsync(ActionContext context, string collection, string resource, string ns, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var found = new List<JsonObject>();
        foreach (var name in names)
        {
            var read = await context.Api.SendAsync(new ApiRequest("GET", $"{collection}/{Uri.EscapeDataString(name)}"), cancellationToken);
            if (!read.IsSuccess) throw new StepFailedException($"{resource}/{name} in {ns}: GET answered HTTP {read.Status}; nothing was scaled.");
            found.Add(JsonNode.Parse(read.Body) as JsonObject ?? throw new StepFailedException($"{resource}/{name} in {ns} is not an object; nothing was scaled."));
        }
        return found;
    }

    /// <summary>Document 002 8.6.4 step 1: scaling such a StatefulSet down deletes its claims, so the data goes with it.</summary>
    private static string? RetentionRefusal(string resource, string ns, JsonObject target, int replicas)
    {
        if (resource != "statefulsets") return null;
        if ((string?)target["spec"]?["persistentVolumeClaimRetentionPolicy"]?["whenScaled"] != "Delete") return null;
        var had = (int?)target["spec"]?["replicas"] ?? 1;
        if (replicas >= had) return null;
        var name = KubeObjects.Name(target);
        return $"statefulsets/{name} in {ns} has persistentVolumeClaimRetentionPolicy.whenScaled: Delete, so scaling it down from {had} to {replicas} would delete the claims of the removed pods and their data. " +
               $"Set it to Retain first (oc patch -n {ns} statefulset/{name} --type=merge -p '{{\"spec\":{{\"persistentVolumeClaimRetentionPolicy\":{{\"whenScaled\":\"Retain\"}}}}}}') and make sure no controller (an operator, GitOps) sets it back.";
    }
}
