using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Objects;

/// <summary>
/// <c>oc scale --replicas=N</c> through the scale subresource of deployments or statefulsets (<c>kind</c>), one or more
/// <c>names</c> in <c>namespace</c>. Outputs the replicas each had before, so a later step can scale back.
/// </summary>
public sealed class ScaleAction : IStepAction
{
    public string Name => "scale";
    public IReadOnlyCollection<string> Arguments { get; } = ["kind", "namespace", "names", "replicas"];
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
        var names = KubeObjects.ListArgument(context, "names");
        if (names.Count == 0) throw new StepFailedException("The action needs the argument 'names'.");
        var previous = new JsonObject();
        foreach (var name in names)
        {
            var path = $"/apis/apps/v1/namespaces/{Uri.EscapeDataString(ns)}/{resource}/{Uri.EscapeDataString(name)}/scale";
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
}
