using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes.Watch;

/// <summary>
/// The objects a watch has reported, by namespace/name, so that after a re-list the caller gets exactly the
/// difference (ADDED, MODIFIED, DELETED) instead of a gap. Holds the watched objects in memory, which suits the
/// small collections of a recovery (nodes, CSRs, operators, etcd pods).
/// </summary>
internal sealed class WatchState
{
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);

    public void Apply(WatchEvent e)
    {
        switch (e.Type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                _objects[Key(e.Object)] = e.Object;
                break;
            case WatchEventType.Deleted:
                _objects.Remove(Key(e.Object));
                break;
        }
    }

    /// <summary>The synthetic events that turn what was known into <paramref name="current"/>; updates the state.</summary>
    public List<WatchEvent> Resync(IReadOnlyList<JsonObject> current)
    {
        var events = new List<WatchEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in current)
        {
            var key = Key(obj);
            seen.Add(key);
            if (!_objects.TryGetValue(key, out var known))
                events.Add(new WatchEvent(WatchEventType.Added, obj, Synthetic: true));
            else if (Version(known) != Version(obj))
                events.Add(new WatchEvent(WatchEventType.Modified, obj, Synthetic: true));
            _objects[key] = obj;
        }
        foreach (var key in _objects.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            events.Add(new WatchEvent(WatchEventType.Deleted, _objects[key], Synthetic: true));
            _objects.Remove(key);
        }
        return events;
    }

    private static string Key(JsonObject obj) => $"{(string?)obj["metadata"]?["namespace"]}/{(string?)obj["metadata"]?["name"]}";

    // Compared for equality only: resource versions are opaque.
    private static string? Version(JsonObject obj) => (string?)obj["metadata"]?["resourceVersion"];
}
