using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

// Hooks for a simulated cluster model (Ocp4/): one lock for the API and the model, a request gate,
// controllers of its own, and the whole object set as etcd holds it (snapshot and restore).
public sealed partial class LabKubernetesApi
{
    private volatile ILabApiGate? _requestGate;

    /// <summary>
    /// The lock the API server serialises on. A cluster model takes it too, so the API, its controllers and the
    /// simulated hosts change state as one (Monitor locks are re-entrant: the model may call Get/Put while holding it).
    /// </summary>
    internal object SyncRoot => _gate;

    /// <summary>Consulted before every request once time has advanced; null serves everything.</summary>
    internal ILabApiGate? Gate
    {
        get => _requestGate;
        set => _requestGate = value;
    }

    /// <summary>Adds a controller that sees every write and the passing of time (under <see cref="SyncRoot"/>).</summary>
    internal void AddController(ILabApiController controller)
    {
        lock (_gate) _store.AddController(controller);
    }

    /// <summary>Removes the built-in controllers of a type, when a cluster model simulates that part itself.</summary>
    internal void RemoveControllers<T>() where T : ILabApiController
    {
        lock (_gate) _store.RemoveControllers<T>();
    }

    /// <summary>Deletes an object as the simulated cluster itself does (no HTTP semantics, no availability check).</summary>
    internal JsonObject? Remove(string path)
    {
        var parsed = ParseObjectPath(path);
        lock (_gate) return _store.Delete(parsed);
    }

    /// <summary>Objects of a collection path (all namespaces when it names none), without availability check.</summary>
    internal List<JsonObject> ListObjects(string collectionPath)
    {
        var parsed = ResourcePath.Parse(collectionPath) is { Name: null } p
            ? p
            : throw new ArgumentException($"'{collectionPath}' is not the path of a collection.", nameof(collectionPath));
        lock (_gate) return _store.List(parsed);
    }

    /// <summary>The revision of the store: what etcd calls its revision and clients see as resourceVersion.</summary>
    internal long Revision
    {
        get
        {
            lock (_gate) return LabWatchLog.Revision(_store.ResourceVersion);
        }
    }

    /// <summary>Every object keyed by its REST path, exactly as stored (metadata included): the keyspace of etcd.</summary>
    internal SortedDictionary<string, JsonObject> ExportObjects()
    {
        lock (_gate)
        {
            var result = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var (path, obj) in _store.All()) result[path.ObjectKey] = obj;
            return result;
        }
    }

    /// <summary>
    /// Replaces every object with <paramref name="objects"/> as they were stored (an etcd restore) and moves the
    /// revision to <paramref name="revision"/> (the restore's bumped revision). Controllers and watches see the
    /// differences as ordinary writes; older resourceVersions then read as compacted.
    /// </summary>
    internal void RestoreObjects(IReadOnlyDictionary<string, JsonObject> objects, long revision)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var parsed = new List<(ResourcePath, JsonObject)>();
        foreach (var (key, obj) in objects)
        {
            var path = ResourcePath.Parse(key) is { Name: not null, Subresource: null } p ? p : throw new ArgumentException($"'{key}' is not the path of an object.", nameof(objects));
            parsed.Add((path, obj));
        }
        lock (_gate)
        {
            _store.RestoreAll(parsed, revision);
            _watchLog.Compact();
        }
    }
}
