using System.Globalization;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>Reacts to writes and to the passing of time, as the cluster's controllers and operators do.</summary>
internal interface ILabApiController
{
    /// <summary>Called after every create, update and delete (<paramref name="after"/> null for delete).</summary>
    void OnWritten(ResourcePath path, JsonObject? before, JsonObject? after);

    /// <summary>Called before each request so time-driven progress (rollouts) is visible to it.</summary>
    void Advance(DateTimeOffset now);
}

/// <summary>
/// The objects of a lab API server keyed by their REST path, with the metadata the server owns
/// (uid, resourceVersion, generation, creationTimestamp). Not thread-safe: the API server serialises access.
/// </summary>
internal sealed partial class LabObjectStore(LabClock clock)
{
    private sealed record Entry(ResourcePath Path, JsonObject Object);

    private readonly SortedDictionary<string, Entry> _objects = new(StringComparer.Ordinal);
    private readonly List<ILabApiController> _controllers = [];
    // Starts high so resource versions look like a real server's rather than "1"; clients must treat them as opaque.
    private long _revision = 40000;
    private long _generatedNames;

    public string ResourceVersion => _revision.ToString(CultureInfo.InvariantCulture);

    public void AddController(ILabApiController controller) => _controllers.Add(controller);

    public void Advance(DateTimeOffset now)
    {
        foreach (var controller in _controllers) controller.Advance(now);
    }

    public JsonObject? Get(ResourcePath path) =>
        _objects.TryGetValue(path.ObjectKey, out var entry) ? (JsonObject)entry.Object.DeepClone() : null;

    /// <summary>Objects of the collection, in key order; a collection path without namespace lists all namespaces.</summary>
    public List<JsonObject> List(ResourcePath collection) =>
        _objects.Values
            .Where(e => e.Path.Group == collection.Group && e.Path.Version == collection.Version && e.Path.Resource == collection.Resource
                        && (collection.Namespace is null || e.Path.Namespace == collection.Namespace))
            .Select(e => (JsonObject)e.Object.DeepClone())
            .ToList();

    /// <summary>Every object with its path, for the garbage collector (dependents are found across collections).</summary>
    public List<(ResourcePath Path, JsonObject Object)> All() =>
        _objects.Values.Select(e => (e.Path, (JsonObject)e.Object.DeepClone())).ToList();

    public string GenerateName(string prefix)
    {
        // Deterministic suffixes keep lab runs reproducible.
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var n = ++_generatedNames * 7919;
        var suffix = new char[5];
        for (var i = 0; i < suffix.Length; i++, n /= alphabet.Length) suffix[i] = alphabet[(int)(n % alphabet.Length)];
        return prefix + new string(suffix);
    }

    /// <summary>Stores a new object, stamping the server-owned metadata; returns a copy of what was stored.</summary>
    public JsonObject Create(ResourcePath path, JsonObject obj)
    {
        var stored = (JsonObject)obj.DeepClone();
        stored["apiVersion"] ??= path.ApiVersion;
        if (stored["kind"] is null && ResourceKinds.KindOf(path.Resource) is { } kind) stored["kind"] = kind;
        var metadata = Metadata(stored);
        metadata["name"] = path.Name;
        if (path.Namespace is not null) metadata["namespace"] = path.Namespace;
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["resourceVersion"] = NextRevision();
        metadata["generation"] = 1;
        metadata["creationTimestamp"] = Conditions.Timestamp(clock.UtcNow);
        return Save(path, null, stored);
    }

    /// <summary>Replaces an existing object, keeping its identity and bumping resourceVersion (and generation when spec changed).</summary>
    public JsonObject Replace(ResourcePath path, JsonObject obj)
    {
        var before = _objects[path.ObjectKey].Object;
        var stored = (JsonObject)obj.DeepClone();
        var metadata = Metadata(stored);
        var old = Metadata(before);
        metadata["name"] = path.Name;
        if (path.Namespace is not null) metadata["namespace"] = path.Namespace;
        metadata["uid"] = old["uid"]?.DeepClone();
        metadata["creationTimestamp"] = old["creationTimestamp"]?.DeepClone();
        var generation = (long?)old["generation"] ?? 1;
        metadata["generation"] = JsonNode.DeepEquals(before["spec"], stored["spec"]) ? generation : generation + 1;
        metadata["resourceVersion"] = NextRevision();
        KeepTerminating(old, metadata);
        var saved = Save(path, before, stored);
        if (IsFinalized(saved)) Delete(path);
        return saved;
    }

    public JsonObject? Delete(ResourcePath path)
    {
        if (!_objects.Remove(path.ObjectKey, out var entry)) return null;
        NextRevision();
        Notify(path, entry.Object, null);
        return (JsonObject)entry.Object.DeepClone();
    }

    private JsonObject Save(ResourcePath path, JsonObject? before, JsonObject built)
    {
        // Round-trip through text: nodes built from CLR values (an int) do not convert like parsed ones
        // ((long)node throws), so everything stored is exactly what a client would parse.
        var stored = (JsonObject)JsonNode.Parse(built.ToJsonString())!;
        var key = path.WithoutSubresource();
        _objects[key.ObjectKey] = new Entry(key, stored);
        var copy = (JsonObject)stored.DeepClone();
        Notify(key, before, stored);
        return copy;
    }

    private void Notify(ResourcePath path, JsonObject? before, JsonObject? after)
    {
        foreach (var controller in _controllers)
            controller.OnWritten(path, (JsonObject?)before?.DeepClone(), (JsonObject?)after?.DeepClone());
    }

    private string NextRevision() => (++_revision).ToString(CultureInfo.InvariantCulture);

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata) return metadata;
        metadata = new JsonObject();
        obj["metadata"] = metadata;
        return metadata;
    }
}
