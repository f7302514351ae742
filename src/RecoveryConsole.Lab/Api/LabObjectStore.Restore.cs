using System.Globalization;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

// Whole-keyspace operations for the cluster model: removing built-in controllers and restoring a snapshot.
internal sealed partial class LabObjectStore
{
    public void RemoveControllers<T>() where T : ILabApiController => _controllers.RemoveAll(c => c is T);

    /// <summary>
    /// Puts back exactly <paramref name="objects"/> (metadata untouched, as etcd restores them) and sets the revision
    /// to at least <paramref name="revision"/>. Controllers are told about every object that changed.
    /// </summary>
    public void RestoreAll(IReadOnlyList<(ResourcePath Path, JsonObject Object)> objects, long revision)
    {
        var before = _objects.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        _objects.Clear();
        foreach (var (path, obj) in objects)
        {
            var key = path.WithoutSubresource();
            _objects[key.ObjectKey] = new Entry(key, (JsonObject)JsonNode.Parse(obj.ToJsonString())!);
        }
        _revision = Math.Max(_revision + 1, revision);

        foreach (var (key, entry) in before)
        {
            if (!_objects.ContainsKey(key)) Notify(entry.Path, entry.Object, null);
        }
        foreach (var (key, entry) in _objects.ToList())
        {
            var old = before.GetValueOrDefault(key);
            if (old is null || !JsonNode.DeepEquals(old.Object, entry.Object)) Notify(entry.Path, old?.Object, entry.Object);
        }
    }

    /// <summary>The revision as a number (resource versions are opaque to clients, not to the store).</summary>
    public long RevisionNumber => long.Parse(ResourceVersion, CultureInfo.InvariantCulture);
}
