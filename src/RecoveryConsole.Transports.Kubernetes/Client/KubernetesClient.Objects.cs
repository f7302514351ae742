using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes;

// Typed verbs on objects. A namespaced type needs a namespace for object calls; for lists, null means all namespaces.
public sealed partial class KubernetesClient
{
    public Task<JsonObject> GetAsync(ResourceType type, string? ns, string name, CancellationToken cancellationToken = default) =>
        ObjectAsync("GET", type.ObjectPath(ns, name), null, null, cancellationToken);

    /// <summary>The object, or null when it does not exist (404); every other error still throws.</summary>
    public async Task<JsonObject?> TryGetAsync(ResourceType type, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var path = type.ObjectPath(ns, name);
        var response = await SendCoreAsync("GET", path, null, null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404) return null;
        return response.IsSuccess ? Parse("GET", path, response) : throw Failure("GET", path, response);
    }

    /// <summary>One page of a list. Pass the previous page's <see cref="KubeList.Continue"/> in <see cref="ListOptions.Continue"/> for the next.</summary>
    public async Task<KubeList> ListAsync(ResourceType type, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = type.CollectionPath(ns) + (options ?? new ListOptions()).Query();
        var list = await ObjectAsync("GET", path, null, null, cancellationToken).ConfigureAwait(false);
        var metadata = list["metadata"] as JsonObject;
        return new KubeList(
            (list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()).ToList(),
            (string?)metadata?["resourceVersion"],
            (string?)metadata?["continue"] is { Length: > 0 } next ? next : null,
            (long?)metadata?["remainingItemCount"]);
    }

    /// <summary>
    /// Every item, fetched page by page (<see cref="KubernetesClientOptions.ListPageSize"/>, or options.Limit). If the
    /// continue token expires midway (410), this throws <see cref="KubernetesGoneException"/>: items already yielded
    /// cannot be taken back, so the caller lists again rather than get a silently mixed result.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> ListAllAsync(
        ResourceType type, string? ns, ListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = (options ?? new ListOptions()) with { Limit = options?.Limit ?? _options.ListPageSize, Continue = null };
        while (true)
        {
            var list = await ListAsync(type, ns, page, cancellationToken).ConfigureAwait(false);
            foreach (var item in list.Items) yield return item;
            if (list.Continue is null) yield break;
            page = page with { Continue = list.Continue };
        }
    }

    public Task<JsonObject> CreateAsync(ResourceType type, string? ns, JsonObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return ObjectAsync("POST", type.CollectionPath(RequireNamespace(type, ns)), obj.ToJsonString(), "application/json", cancellationToken);
    }

    /// <summary>
    /// PUT of the whole object. With metadata.resourceVersion the server refuses a stale copy
    /// (<see cref="KubernetesConflictException"/>); without it, the write is unconditional and is never retried.
    /// </summary>
    public Task<JsonObject> ReplaceAsync(ResourceType type, string? ns, string name, JsonObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return ObjectAsync("PUT", type.ObjectPath(ns, name), obj.ToJsonString(), "application/json", cancellationToken);
    }

    /// <summary>RFC 7386 merge patch (<c>oc patch --type=merge</c>): maps merge, lists are replaced whole, null deletes a field.</summary>
    public Task<JsonObject> MergePatchAsync(ResourceType type, string? ns, string name, JsonNode patch, string? subresource = null, CancellationToken cancellationToken = default) =>
        PatchAsync(type, ns, name, PatchContentTypes.Merge, patch, subresource, cancellationToken);

    /// <summary>RFC 6902 JSON patch (<c>oc patch --type=json</c>): a list of add/remove/replace/move/copy/test operations.</summary>
    public Task<JsonObject> JsonPatchAsync(ResourceType type, string? ns, string name, JsonArray operations, string? subresource = null, CancellationToken cancellationToken = default) =>
        PatchAsync(type, ns, name, PatchContentTypes.Json, operations, subresource, cancellationToken);

    /// <summary>
    /// Strategic merge patch (<c>oc patch</c>'s default): built-in types only. A custom resource answers 415, surfaced as
    /// <see cref="KubernetesUnsupportedMediaTypeException"/> telling to use <see cref="MergePatchAsync"/>.
    /// </summary>
    public Task<JsonObject> StrategicMergePatchAsync(ResourceType type, string? ns, string name, JsonNode patch, string? subresource = null, CancellationToken cancellationToken = default) =>
        PatchAsync(type, ns, name, PatchContentTypes.StrategicMerge, patch, subresource, cancellationToken);

    private Task<JsonObject> PatchAsync(ResourceType type, string? ns, string name, string contentType, JsonNode patch, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return ObjectAsync("PATCH", type.ObjectPath(ns, name, subresource), patch.ToJsonString(), contentType, cancellationToken);
    }

    /// <summary>
    /// Deletes one object. The answer is the object as deleted, or (for some types) a Status. Use the preconditions
    /// in <paramref name="options"/> to delete exactly the object that was read; propagation decides its dependents' fate.
    /// </summary>
    public Task<JsonObject> DeleteAsync(ResourceType type, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        ObjectAsync("DELETE", type.ObjectPath(ns, name), options?.Body(), "application/json", cancellationToken);

    internal async Task<JsonObject> ObjectAsync(string method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        var response = await SendCoreAsync(method, path, body, contentType, cancellationToken).ConfigureAwait(false);
        return response.IsSuccess ? Parse(method, path, response) : throw Failure(method, path, response, contentType);
    }

    private static JsonObject Parse(string method, string path, RawResponse response)
    {
        try
        {
            if (JsonNode.Parse(response.Body) is JsonObject obj) return obj;
        }
        catch (JsonException)
        {
        }
        var failure = ApiFailure.Parse(method, path, response.Status, response.Body, response.Attempts) with { Reason = "UnexpectedAnswer" };
        throw new KubernetesApiException(failure, "The server answered success but not with a JSON object; is the kubeconfig pointing at a Kubernetes API server?");
    }

    private static string? RequireNamespace(ResourceType type, string? ns) =>
        type.Namespaced && ns is null ? throw new ArgumentException($"{type} are namespaced: give a namespace.", nameof(ns)) : ns;
}
