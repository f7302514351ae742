using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace RecoveryConsole.Lab.Api;

/// <summary>One change of one object, as the watch cache of a real API server keeps it.</summary>
internal sealed record LabWatchEntry(long Revision, ResourcePath Path, JsonObject? Before, JsonObject? After);

/// <summary>
/// The lab's watch cache: a bounded event log per collection (group + resource) keyed by resourceVersion, and the
/// open watches it feeds. A watch from a resourceVersion older than what a log still holds is told 410 Gone,
/// as after an etcd compaction. Accessed only under the API server's lock, like the object store.
/// </summary>
internal sealed class LabWatchLog(LabObjectStore store, int capacityPerCollection = 1000) : ILabApiController
{
    private sealed class CollectionLog(long compactedThrough)
    {
        public List<LabWatchEntry> Entries { get; } = [];
        public long CompactedThrough { get; set; } = compactedThrough;
    }

    private readonly Dictionary<string, CollectionLog> _logs = new(StringComparer.Ordinal);
    private readonly List<LabWatchSubscription> _subscribers = [];
    // Nothing before the log existed can be replayed: the store's revision at start is the first compaction point.
    private long _compactedThrough = Revision(store.ResourceVersion);

    // Guarded by its own lock too: a watch closes from its HTTP request's thread, outside the API server's lock.
    public int OpenWatches
    {
        get { lock (_subscribers) return _subscribers.Count; }
    }

    public void OnWritten(ResourcePath path, JsonObject? before, JsonObject? after)
    {
        var revision = Revision((string?)after?["metadata"]?["resourceVersion"] ?? store.ResourceVersion);
        if (after is null && before is not null)
        {
            // A DELETED event carries the object as it was, stamped with the revision of the deletion.
            before = (JsonObject)before.DeepClone();
            if (before["metadata"] is JsonObject metadata) metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        }
        var entry = new LabWatchEntry(revision, path, before, after);
        var log = LogOf(path);
        log.Entries.Add(entry);
        if (log.Entries.Count > capacityPerCollection)
        {
            log.CompactedThrough = log.Entries[0].Revision;
            log.Entries.RemoveAt(0);
        }
        lock (_subscribers)
        {
            foreach (var subscriber in _subscribers) subscriber.Offer(entry);
        }
    }

    public void Advance(DateTimeOffset now)
    {
    }

    /// <summary>Forgets every event up to now, as etcd compaction does; watches from older revisions then get 410 Gone.</summary>
    public void Compact()
    {
        _compactedThrough = Revision(store.ResourceVersion);
        foreach (var log in _logs.Values)
        {
            log.Entries.Clear();
            log.CompactedThrough = _compactedThrough;
        }
    }

    /// <summary>The oldest revision a list continuation or watch may still start from.</summary>
    public long OldestRevision(ResourcePath collection) => LogOf(collection).CompactedThrough;

    /// <summary>Opens a watch that first replays the log after <paramref name="fromRevision"/>; null when that revision is compacted.</summary>
    public LabWatchSubscription? Subscribe(LabWatchFilter filter, long fromRevision)
    {
        var log = LogOf(filter.Collection);
        if (fromRevision < log.CompactedThrough) return null;
        var subscription = NewSubscription(filter);
        foreach (var entry in log.Entries.Where(e => e.Revision > fromRevision)) subscription.Offer(entry);
        lock (_subscribers) _subscribers.Add(subscription);
        return subscription;
    }

    /// <summary>Opens a watch whose first events are the given objects as ADDED (a watch without resourceVersion).</summary>
    public LabWatchSubscription SubscribeWithInitial(LabWatchFilter filter, IEnumerable<JsonObject> current)
    {
        var subscription = NewSubscription(filter);
        foreach (var obj in current.Where(filter.Matches)) subscription.Enqueue("ADDED", obj);
        lock (_subscribers) _subscribers.Add(subscription);
        return subscription;
    }

    private LabWatchSubscription NewSubscription(LabWatchFilter filter) =>
        new(filter, Revision(store.ResourceVersion), s =>
        {
            lock (_subscribers) _subscribers.Remove(s);
        });

    private CollectionLog LogOf(ResourcePath path)
    {
        var key = path.Group + "/" + path.Resource;
        if (!_logs.TryGetValue(key, out var log))
        {
            log = new CollectionLog(_compactedThrough);
            _logs[key] = log;
        }
        return log;
    }

    public static long Revision(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}

/// <summary>What a watch asks for: a collection (all namespaces when Namespace is null) and optional selectors.</summary>
internal sealed record LabWatchFilter(ResourcePath Collection, Func<JsonObject, bool> Selector)
{
    public bool Covers(ResourcePath path) =>
        path.Group == Collection.Group && path.Resource == Collection.Resource
        && (Collection.Namespace is null || path.Namespace == Collection.Namespace);

    public bool Matches(JsonObject obj) => Selector(obj);
}

/// <summary>
/// One open watch: events as the JSON lines the server streams. An object that starts or stops matching the
/// selectors arrives as ADDED or DELETED, as a real server reports it. Disposing it closes the watch.
/// </summary>
internal sealed class LabWatchSubscription(LabWatchFilter filter, long startRevision, Action<LabWatchSubscription> unsubscribe) : IDisposable
{
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The store's revision when the watch opened: what a first bookmark reports.</summary>
    public long StartRevision { get; } = startRevision;

    public ChannelReader<JsonObject> Events => _events.Reader;

    internal void Offer(LabWatchEntry entry)
    {
        if (!filter.Covers(entry.Path)) return;
        var before = entry.Before is not null && filter.Matches(entry.Before);
        var after = entry.After is not null && filter.Matches(entry.After);
        switch (before, after)
        {
            case (false, true):
                Enqueue("ADDED", entry.After!);
                break;
            case (true, true):
                Enqueue("MODIFIED", entry.After!);
                break;
            case (true, false):
                // Deleted, or no longer selected: the last state a watcher may know is the new one, if any.
                Enqueue("DELETED", entry.After ?? entry.Before!);
                break;
        }
    }

    internal void Enqueue(string type, JsonObject obj) =>
        _events.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() });

    public void Dispose()
    {
        unsubscribe(this);
        _events.Writer.TryComplete();
    }
}
