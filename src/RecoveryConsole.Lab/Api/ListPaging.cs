using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>
/// <c>limit</c> and <c>continue</c> on lists, as a real API server pages: items in key order, an opaque continue token
/// naming the last key and the list's resourceVersion (every page reports the first page's), and 410 Expired once
/// that resourceVersion is compacted. Unlike etcd the lab keeps no snapshot: later pages show objects as they are now.
/// </summary>
internal static class ListPaging
{
    public sealed record Page(IReadOnlyList<JsonObject> Items, JsonObject Metadata);

    public static Page Apply(ResourcePath collection, List<JsonObject> items, Dictionary<string, string> query, string currentVersion, long oldestRevision)
    {
        var version = currentVersion;
        IEnumerable<JsonObject> remaining = items;
        if (query.TryGetValue("continue", out var token) && token.Length > 0)
        {
            var (tokenVersion, lastKey) = Decode(token);
            if (LabWatchLog.Revision(tokenVersion) < oldestRevision)
            {
                throw new KubeApiException(410, "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }
            version = tokenVersion;
            remaining = items.Where(i => string.CompareOrdinal(KeyOf(collection, i), lastKey) > 0);
        }

        var metadata = new JsonObject { ["resourceVersion"] = version };
        var limit = query.TryGetValue("limit", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0;
        var all = remaining.ToList();
        if (limit == 0 || all.Count <= limit) return new Page(all, metadata);

        var page = all.Take(limit).ToList();
        metadata["continue"] = Encode(version, KeyOf(collection, page[^1]));
        metadata["remainingItemCount"] = all.Count - limit;
        return new Page(page, metadata);
    }

    // The store's own key (its REST path), so pages follow exactly the order lists come in.
    private static string KeyOf(ResourcePath collection, JsonObject item) =>
        (collection with { Namespace = (string?)item["metadata"]?["namespace"], Name = (string?)item["metadata"]?["name"] }).ObjectKey;

    private static string Encode(string version, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = version, ["start"] = lastKey }.ToJsonString()));

    private static (string Version, string LastKey) Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            if ((string?)json?["rv"] is { } version && (string?)json["start"] is { } start) return (version, start);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
        }
        throw KubeStatus.BadRequest("continue key is not valid: the token was not issued by this server");
    }
}
