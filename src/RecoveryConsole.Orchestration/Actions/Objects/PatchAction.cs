using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Objects;

/// <summary>
/// <c>oc patch --type=merge</c>: a JSON merge patch (<c>patch</c>) to one object (<c>apiVersion</c>, <c>resource</c>,
/// <c>namespace</c>, <c>name</c>). The patch is checked to be a JSON object before anything is sent.
/// </summary>
public sealed class PatchAction : IStepAction
{
    public string Name => "patch";
    public IReadOnlyCollection<string> Arguments { get; } = ["apiVersion", "resource", "namespace", "name", "patch"];
    public IReadOnlyCollection<string> Outputs { get; } = ["resourceVersion"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var collection = ObjectCollection.FromArguments(context);
        var name = context.RequiredArgument("name");
        var text = context.RequiredArgument("patch");
        JsonObject patch;
        try { patch = JsonNode.Parse(text) as JsonObject ?? throw new StepFailedException($"The patch must be a JSON object such as {{\"spec\":{{\"pausedUntil\":\"true\"}}}}, not {text}."); }
        catch (JsonException e) { throw new StepFailedException($"The patch is not valid JSON ({e.Message}); nothing was sent.", inner: e); }
        var path = $"{collection.Path}/{Uri.EscapeDataString(name)}";
        var answer = await context.Api.SendAsync(new ApiRequest("PATCH", path, patch.ToJsonString(), "application/merge-patch+json"), cancellationToken);
        if (!answer.IsSuccess) throw new StepFailedException($"Patching {collection.Resource}/{name} answered HTTP {answer.Status}: {KubeObjects.ServerMessage(answer.Body)}");
        var version = (string?)JsonNode.Parse(answer.Body)?["metadata"]?["resourceVersion"];
        // What was merged, as `oc patch -p` shows it in the command, except into a Secret (its data would land in the transcript).
        var merged = collection.Resource == "secrets" ? "(the patch of a Secret is not shown)" : patch.ToJsonString();
        context.Output.Line(OutputStream.Stdout, $"{collection.Resource}/{name} patched with {merged} (resourceVersion {version})");
        context.SetOutput("resourceVersion", JsonValue.Create(version));
    }
}
