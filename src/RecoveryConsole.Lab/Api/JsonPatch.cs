using System.Globalization;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>A JSON patch operation that cannot be applied; the API server answers 422.</summary>
public sealed class JsonPatchException(string message) : Exception(message);

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy and test, with RFC 6901 pointers.</summary>
public static class JsonPatch
{
    /// <summary>Applies <paramref name="operations"/> to a copy of <paramref name="document"/> and returns it.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document?.DeepClone() }; // a holder, so "" (the whole document) has a parent
        foreach (var node in operations)
        {
            if (node is not JsonObject op) throw new JsonPatchException("a patch operation must be a JSON object");
            var name = (string?)op["op"] ?? throw new JsonPatchException("a patch operation needs \"op\"");
            var path = Pointer(op, "path");
            switch (name)
            {
                case "add":
                    Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                    var from = Pointer(op, "from");
                    if (path.StartsWith(from + "/", StringComparison.Ordinal)) throw new JsonPatchException($"cannot move {from} into its own child {path}");
                    Add(root, path, Remove(root, from));
                    break;
                case "copy":
                    Add(root, path, Get(root, Pointer(op, "from"))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), Value(op))) throw new JsonPatchException($"testing value {path[4..]} failed");
                    break;
                default:
                    throw new JsonPatchException($"unsupported patch operation \"{name}\"");
            }
        }
        var result = root["doc"];
        root.Remove("doc");
        return result;
    }

    private static string Pointer(JsonObject op, string member)
    {
        var pointer = (string?)op[member] ?? throw new JsonPatchException($"a patch operation needs \"{member}\"");
        if (pointer.Length > 0 && pointer[0] != '/') throw new JsonPatchException($"invalid JSON pointer \"{pointer}\"");
        return "/doc" + pointer;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new JsonPatchException("a patch operation needs \"value\"");

    private static (JsonNode Parent, string Token) Parent(JsonObject root, string pointer)
    {
        var tokens = pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode current = root;
        foreach (var token in tokens[..^1])
        {
            current = Child(current, token) ?? throw new JsonPatchException($"path {pointer[4..]} does not exist");
        }
        return (current, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(token, out var v) => v,
            JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
            _ => throw new JsonPatchException($"path {pointer[4..]} does not exist"),
        };
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new JsonPatchException($"cannot add at {pointer[4..]}");
        }
    }

    private static JsonNode? Remove(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(token, out var v):
                o.Remove(token);
                return v;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                var item = a[i];
                a.RemoveAt(i);
                return item;
            default:
                throw new JsonPatchException($"path {pointer[4..]} does not exist");
        }
    }
}
