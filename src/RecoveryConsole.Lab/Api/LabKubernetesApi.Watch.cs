using System.Globalization;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>How a watch request starts: an open subscription, or the 410 Gone message for a compacted resourceVersion.</summary>
internal sealed record LabWatchStart(LabWatchSubscription? Subscription, string? GoneMessage);

// Watches: served as streams by the HTTPS front (ApiServer/), fed by the watch log the store notifies.
public sealed partial class LabKubernetesApi
{
    private LabWatchLog _watchLog = null!; // set by the constructor, before any controller that writes

    /// <summary>Watches currently open (for tests and the lab's own pages).</summary>
    public int OpenWatches => _watchLog.OpenWatches;

    /// <summary>Forgets the change history, as an etcd compaction does: watches from older resourceVersions get 410 Gone.</summary>
    public void CompactWatchHistory()
    {
        lock (_gate) _watchLog.Compact();
    }

    /// <summary>Lets time-driven controllers (rollouts) progress while nobody sends requests but watches wait for changes.</summary>
    internal void Tick()
    {
        lock (_gate) _store.Advance(Clock.UtcNow);
    }

    /// <summary>
    /// Whether a streaming request (watch, exec) may start, by the same rules as every other request: unavailable
    /// or no simulated kube-apiserver throws <see cref="Orchestration.Transports.ApiUnreachableException"/>; a simulated
    /// control plane may also answer with an error of its own, returned here.
    /// </summary>
    internal Orchestration.Transports.ApiResponse? AdmitStream(string target)
    {
        if (!Available) throw new Orchestration.Transports.ApiUnreachableException(Server, "dial tcp 192.0.2.5:6443: connect: connection refused");
        lock (_gate)
        {
            _store.Advance(Clock.UtcNow);
            return Gate?.Admit(new Orchestration.Transports.ApiRequest("GET", target));
        }
    }

    /// <summary>The store's resourceVersion now: every change up to it has reached the open watches' queues.</summary>
    internal long CurrentRevision()
    {
        lock (_gate) return LabWatchLog.Revision(_store.ResourceVersion);
    }

    /// <summary>
    /// Opens a watch for <c>GET {collection}?watch=1</c>. Without resourceVersion (or "0") the current objects come
    /// first as ADDED, as on a real server; with one, every change after it. Bad selectors throw <see cref="KubeApiException"/>.
    /// </summary>
    internal LabWatchStart OpenWatch(string target)
    {
        var queryAt = target.IndexOf('?');
        var query = ParseQuery(queryAt < 0 ? "" : target[(queryAt + 1)..]);
        var path = ResourcePath.Parse(queryAt < 0 ? target : target[..queryAt]) ?? throw KubeStatus.NoSuchPath();
        if (path.Subresource is not null) throw KubeStatus.MethodNotAllowed();

        var selectors = new List<Func<JsonObject, bool>>();
        if (query.TryGetValue("labelSelector", out var labels) && labels.Length > 0) selectors.Add(Selectors.ParseLabels(labels));
        if (query.TryGetValue("fieldSelector", out var fields) && fields.Length > 0) selectors.Add(Selectors.ParseFields(fields));
        // The old form GET .../pods/{name}?watch=1 watches one object: the same as a metadata.name field selector.
        if (path.Name is { } name) selectors.Add(obj => (string?)obj["metadata"]?["name"] == name);
        var filter = new LabWatchFilter(path with { Name = null }, obj => selectors.All(s => s(obj)));

        var version = query.GetValueOrDefault("resourceVersion", "");
        lock (_gate)
        {
            _store.Advance(Clock.UtcNow);
            if (version is "" or "0") return new LabWatchStart(_watchLog.SubscribeWithInitial(filter, _store.List(filter.Collection)), null);
            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                throw KubeStatus.BadRequest($"resourceVersion: Invalid value: \"{version}\": must be a resource version this server issued");
            var subscription = _watchLog.Subscribe(filter, from);
            return subscription is null
                ? new LabWatchStart(null, $"too old resource version: {version} ({_watchLog.OldestRevision(filter.Collection)})")
                : new LabWatchStart(subscription, null);
        }
    }
}
