using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Api;

// The verbs: list, create, update (PUT), patch and collection delete.
public sealed partial class LabKubernetesApi
{
    private ApiResponse List(ResourcePath path, Dictionary<string, string> query)
    {
        var items = Select(path, query);
        var kind = ResourceKinds.KindOf(path.Resource) ?? (string?)items.FirstOrDefault()?["kind"];
        var page = ListPaging.Apply(path, items, query, _store.ResourceVersion, _watchLog.OldestRevision(path));
        var list = new JsonObject
        {
            ["kind"] = (kind ?? "") + "List",
            ["apiVersion"] = path.ApiVersion,
            ["metadata"] = page.Metadata,
            ["items"] = new JsonArray(page.Items.Cast<JsonNode>().ToArray()),
        };
        return Ok(list);
    }

    private List<JsonObject> Select(ResourcePath path, Dictionary<string, string> query)
    {
        IEnumerable<JsonObject> items = _store.List(path);
        if (query.TryGetValue("labelSelector", out var labels) && labels.Length > 0) items = items.Where(Selectors.ParseLabels(labels));
        if (query.TryGetValue("fieldSelector", out var fields) && fields.Length > 0) items = items.Where(Selectors.ParseFields(fields));
        return items.ToList();
    }

    private ApiResponse Create(ResourcePath collection, string? body)
    {
        var obj = ParseObject(body);
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        var name = (string?)metadata["name"];
        if (string.IsNullOrEmpty(name) && (string?)metadata["generateName"] is { Length: > 0 } prefix) name = _store.GenerateName(prefix);
        var path = collection with { Name = name ?? "" };
        if (string.IsNullOrEmpty(name))
            throw KubeStatus.Invalid(path, "metadata.name: Required value: name or generateName is required");
        if ((string?)metadata["namespace"] is { Length: > 0 } ns && collection.Namespace is not null && ns != collection.Namespace)
            throw KubeStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        if (collection.Namespace is not null && _store.Get(new ResourcePath("", "v1", null, "namespaces", collection.Namespace, null)) is null)
            throw KubeStatus.NotFound(new ResourcePath("", "v1", null, "namespaces", collection.Namespace, null));
        if (_store.Get(path) is not null) throw KubeStatus.AlreadyExists(path);
        return Ok(_store.Create(path, obj), 201);
    }

    private ApiResponse Update(ResourcePath path, JsonObject proposed)
    {
        var current = _store.Get(path) ?? throw KubeStatus.NotFound(path);
        var name = (string?)proposed["metadata"]?["name"];
        if (name is not null && name != path.Name)
            throw KubeStatus.BadRequest($"the name of the object ({name}) does not match the name on the URL ({path.Name})");
        // Optimistic concurrency: a resourceVersion in the request must be the current one; none means unconditional.
        if ((string?)proposed["metadata"]?["resourceVersion"] is { } version && version != (string?)current["metadata"]?["resourceVersion"])
            throw KubeStatus.Conflict(path);

        proposed["apiVersion"] ??= current["apiVersion"]?.DeepClone();
        proposed["kind"] ??= current["kind"]?.DeepClone();
        var stored = path.Subresource switch
        {
            "status" => WithStatus(current, proposed["status"]),
            "approval" => CsrApproval.Apply(path, current, proposed, Clock.UtcNow),
            // With a status subresource, writes to the main resource leave status alone (as on a real server).
            _ => ResourceKinds.HasStatusSubresource(path.Resource) ? WithStatus(proposed, current["status"]) : proposed,
        };
        return Ok(_store.Replace(path.WithoutSubresource(), stored));
    }

    private static JsonObject WithStatus(JsonObject obj, JsonNode? status)
    {
        if (status is null) obj.Remove("status");
        else obj["status"] = status.DeepClone();
        return obj;
    }

    private ApiResponse Patch(ResourcePath path, ApiRequest request)
    {
        var current = _store.Get(path) ?? throw KubeStatus.NotFound(path);
        return Update(path, PatchDocument(path, current, request));
    }

    /// <summary>Applies the request's patch (merge, JSON or, for built-in types, strategic) to <paramref name="current"/>.</summary>
    private static JsonObject PatchDocument(ResourcePath path, JsonObject current, ApiRequest request)
    {
        var contentType = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(request.Body ?? "");
        }
        catch (JsonException e)
        {
            throw KubeStatus.BadRequest($"the patch is not valid JSON: {e.Message}");
        }

        JsonNode? patched;
        switch (contentType)
        {
            case "application/merge-patch+json":
            // Strategic merge is approximated by merge patch (keyed lists are replaced, not merged); custom resources refuse it like a real server.
            case "application/strategic-merge-patch+json" when ResourceKinds.IsBuiltIn(path):
                patched = JsonMergePatch.Apply(current.DeepClone(), patch);
                break;
            case "application/json-patch+json":
                if (patch is not JsonArray operations) throw KubeStatus.BadRequest("a JSON patch must be an array of operations");
                try
                {
                    patched = JsonPatch.Apply(current, operations);
                }
                catch (JsonPatchException e)
                {
                    throw KubeStatus.Invalid(path, e.Message);
                }
                break;
            default:
                throw KubeStatus.UnsupportedMediaType(contentType);
        }
        if (patched is not JsonObject result) throw KubeStatus.Invalid(path, "the patched object must be a JSON object");
        return result;
    }

    private ApiResponse DeleteCollection(ResourcePath path, Dictionary<string, string> query)
    {
        var deleted = new JsonArray();
        foreach (var item in Select(path, query))
        {
            var itemPath = path with
            {
                Namespace = (string?)item["metadata"]?["namespace"],
                Name = (string?)item["metadata"]?["name"],
            };
            if (LabObjectStore.HasFinalizers(item)) deleted.Add(_store.MarkTerminating(itemPath, item) ?? item);
            else if (_store.Delete(itemPath) is { } removed) deleted.Add(removed);
        }
        var kind = ResourceKinds.KindOf(path.Resource) ?? "";
        return Ok(new JsonObject
        {
            ["kind"] = kind + "List",
            ["apiVersion"] = path.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _store.ResourceVersion },
            ["items"] = deleted,
        });
    }
}
