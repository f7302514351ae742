using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Api;

// DELETE of one object with DeleteOptions: preconditions and propagationPolicy, with the garbage collector's effect
// on dependents (objects whose ownerReferences name the deleted uid) applied at once.
public sealed partial class LabKubernetesApi
{
    private static readonly string[] Policies = ["Foreground", "Background", "Orphan"];

    private ApiResponse Delete(ResourcePath path, string? body, Dictionary<string, string> query)
    {
        var options = DeleteOptionsOf(body);
        var policy = (string?)options["propagationPolicy"] ?? query.GetValueOrDefault("propagationPolicy");
        if (policy is not null && !Policies.Contains(policy, StringComparer.Ordinal))
            throw KubeStatus.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");

        var current = _store.Get(path) ?? throw KubeStatus.NotFound(path);
        var metadata = current["metadata"] as JsonObject ?? [];
        foreach (var (field, label) in new[] { ("uid", "UID"), ("resourceVersion", "ResourceVersion") })
        {
            if ((string?)options["preconditions"]?[field] is { } wanted && wanted != (string?)metadata[field])
            {
                throw new KubeApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {path.QualifiedResource} \"{path.Name}\": Precondition failed: {label} in precondition: {wanted}, {label} in object meta: {(string?)metadata[field]}",
                    path);
            }
        }

        // Background is the default of current API versions; Foreground differs only in ordering, invisible here.
        if (LabObjectStore.HasFinalizers(current)) return Ok(_store.MarkTerminating(path, current) ?? current);
        CollectDependents((string?)metadata["uid"], orphan: policy == "Orphan");
        return Ok(_store.Delete(path) ?? throw KubeStatus.NotFound(path));
    }

    private void CollectDependents(string? ownerUid, bool orphan)
    {
        if (ownerUid is null) return;
        foreach (var (path, obj) in _store.All())
        {
            if (obj["metadata"]?["ownerReferences"] is not JsonArray owners) continue;
            var reference = owners.OfType<JsonObject>().FirstOrDefault(o => (string?)o["uid"] == ownerUid);
            if (reference is null) continue;
            if (orphan)
            {
                owners.Remove(reference);
                _store.Replace(path, obj);
            }
            else
            {
                CollectDependents((string?)obj["metadata"]?["uid"], orphan: false);
                _store.Delete(path);
            }
        }
    }

    private static JsonObject DeleteOptionsOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return [];
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw KubeStatus.BadRequest("DeleteOptions must be a JSON object");
        }
        catch (JsonException e)
        {
            throw KubeStatus.BadRequest($"DeleteOptions are not valid JSON: {e.Message}");
        }
    }
}
