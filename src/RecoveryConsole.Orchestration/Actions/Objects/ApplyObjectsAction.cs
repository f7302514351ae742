using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Objects;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Objects;

/// <summary>
/// Creates the objects saveObjects saved (the set <c>set</c>, from run <c>fromRun</c> or else the newest run that saved
/// it), each read back verified, changed by <c>transforms</c> and then created (POST). <c>namespace</c> moves them to
/// another namespace; <c>ifExists</c> is <c>fail</c> (default: the step stops at the first object already there) or
/// <c>skip</c>. Outputs the created and skipped names.
/// </summary>
public sealed class ApplyObjectsAction : IStepAction
{
    public string Name => "applyObjects";
    public IReadOnlyCollection<string> Arguments { get; } = ["set", "fromRun", "namespace", "transforms", "ifExists"];
    public IReadOnlyCollection<string> Outputs { get; } = ["created", "skipped"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var set = context.RequiredArgument("set");
        var transforms = SaveObjectsAction.Transforms(context);
        var skip = context.Argument("ifExists", "fail") switch
        {
            "fail" => false,
            "skip" => true,
            var other => throw new StepFailedException($"ifExists '{other}' is not fail or skip."),
        };
        var manifests = await FindAsync(context, store, set, cancellationToken);
        var targetNamespace = context.Argument("namespace", "") is { Length: > 0 } moved ? moved : null;

        var (created, skipped) = (new JsonArray(), new JsonArray());
        foreach (var artifact in manifests)
        {
            var item = await ReadAsync(store, artifact, cancellationToken);
            ObjectTransform.ApplyAll(transforms, item);
            var ns = artifact.Labels.GetValueOrDefault("namespace") is { Length: > 0 } saved ? targetNamespace ?? saved : null;
            if (ns is not null) ((JsonObject)(item["metadata"] ??= new JsonObject()))["namespace"] = ns;
            var collection = new ObjectCollection(artifact.Labels.GetValueOrDefault("apiVersion", ""), artifact.Labels.GetValueOrDefault("resource", ""), ns);
            var name = KubeObjects.Name(item);
            var response = await context.Api.SendAsync(new ApiRequest("POST", collection.Path, item.ToJsonString(), "application/json"), cancellationToken);
            if (response.Status == 409 && skip)
            {
                context.Output.Line(OutputStream.Stdout, $"{collection.Resource}/{name} exists in {ns ?? "the cluster"}: skipped");
                skipped.Add(name);
                continue;
            }
            if (!response.IsSuccess)
                throw new StepFailedException($"Creating {collection.Resource}/{name} from {artifact.Name} answered HTTP {response.Status}: {KubeObjects.ServerMessage(response.Body)}. Created before it: {(created.Count == 0 ? "none" : string.Join(", ", created.Select(c => (string?)c)))}.");
            context.Output.Line(OutputStream.Stdout, $"{artifact.Name} -> {collection.Resource}/{name} created in {ns ?? "the cluster"}");
            created.Add(name);
        }
        context.SetOutput("created", created);
        context.SetOutput("skipped", skipped);
    }

    private static async Task<IReadOnlyList<Artifact>> FindAsync(ActionContext context, IArtifactStore store, string set, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { ["kind"] = ObjectCollection.ManifestKind, ["objectSet"] = set };
        IReadOnlyList<Artifact> found;
        if (context.Argument("fromRun", "") is { Length: > 0 } run)
        {
            if (!Guid.TryParse(run, out var id)) throw new StepFailedException($"fromRun '{run}' is not a run id.");
            found = (await store.ListAsync(id, cancellationToken)).Where(a => labels.All(l => a.Labels.GetValueOrDefault(l.Key) == l.Value)).ToList();
        }
        else
        {
            var all = await store.FindAsync(labels, cancellationToken);
            found = all.Where(a => a.RunId == all.FirstOrDefault()?.RunId).ToList();
        }
        if (found.Count == 0) throw new StepFailedException($"No saved objects of the set '{set}' were found; nothing was created.");
        return found.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    private static async Task<JsonObject> ReadAsync(IArtifactStore store, Artifact artifact, CancellationToken cancellationToken)
    {
        try
        {
            await using var read = await store.OpenAsync(artifact.RunId, artifact.Name, cancellationToken);
            return await JsonNode.ParseAsync(read, cancellationToken: cancellationToken) as JsonObject
                ?? throw new StepFailedException($"{artifact.Name} is not an object manifest; nothing more was created.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException)
        {
            throw new StepFailedException($"The saved manifest {artifact.Name} failed its check and was not applied: {e.Message}", inner: e);
        }
    }

}
