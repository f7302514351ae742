using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes.Watch;

/// <summary>
/// The event types of a watch stream. <see cref="Error"/> is never yielded: an ERROR event ends the watch as a
/// <see cref="KubernetesApiException"/>, except 410 Gone, which the watch handles itself by listing again.
/// </summary>
public enum WatchEventType { Added, Modified, Deleted, Bookmark, Error }

/// <summary>
/// One change. <see cref="Synthetic"/> marks events the client made up from a list (the initial state, or the
/// difference found after a 410 re-list) rather than received from the server; for a caller that waits for a
/// state, both mean the same: this is how the object is now.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, JsonObject Object, bool Synthetic = false)
{
    public string? ResourceVersion => (string?)Object["metadata"]?["resourceVersion"];
    public string? Name => (string?)Object["metadata"]?["name"];
    public string? Namespace => (string?)Object["metadata"]?["namespace"];

    public override string ToString() => $"{Type} {(Namespace is null ? "" : Namespace + "/")}{Name} (rv {ResourceVersion}){(Synthetic ? " from a list" : "")}";

    internal static WatchEventType? ParseType(string? type) => type switch
    {
        "ADDED" => WatchEventType.Added,
        "MODIFIED" => WatchEventType.Modified,
        "DELETED" => WatchEventType.Deleted,
        "BOOKMARK" => WatchEventType.Bookmark,
        "ERROR" => WatchEventType.Error,
        _ => null,
    };
}

/// <summary>What to watch and from where.</summary>
public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>
    /// Where to start: a resourceVersion from an earlier list or event. Null: the watch lists first and yields the
    /// current objects as synthetic ADDED events, then every change after that list (no gap, no duplicate).
    /// </summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Ask for BOOKMARK events: they keep the resume point fresh and are yielded, so callers see them.</summary>
    public bool Bookmarks { get; init; } = true;
}
