using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Orchestration.Objects;

/// <summary>
/// What is changed in a saved object before it is created elsewhere: <c>stripStatus</c>; <c>stripServerFields</c> (what
/// the server owns: resourceVersion, uid, creationTimestamp, managedFields, generation, ownerReferences, which a create
/// refuses or which would tie the copy to objects of the old cluster); <c>set PATH=VALUE</c> (VALUE as JSON when it
/// parses, else text); <c>remove PATH</c>. A list is written one per line or separated by ';'. Pure: unit-tested alone.
/// </summary>
public abstract record ObjectTransform
{
    private static readonly string[] ServerFields = ["resourceVersion", "uid", "creationTimestamp", "managedFields", "generation", "ownerReferences", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

    public abstract void Apply(JsonObject target);

    /// <exception cref="FormatException">Says which transform is not understood and what is.</exception>
    public static IReadOnlyList<ObjectTransform> ParseList(string text) =>
        text.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();

    public static ObjectTransform Parse(string text)
    {
        try { return ParseOne(text); }
        catch (FormatException e) when (!e.Message.StartsWith('\''))
        {
            throw new FormatException($"'{text}': {e.Message}", e);
        }
    }

    private static ObjectTransform ParseOne(string text)
    {
        var (verb, rest) = text.IndexOf(' ') is var space and > 0 ? (text[..space], text[(space + 1)..].Trim()) : (text, "");
        switch (verb)
        {
            case "stripStatus" when rest.Length == 0:
                return new Remove(new ObjectPath(["status"]));
            case "stripServerFields" when rest.Length == 0:
                return new StripServerFields();
            case "remove" when rest.Length > 0:
                return new Remove(ObjectPath.Parse(rest));
            case "set" when rest.IndexOf('=') is var eq and > 0:
                return new Set(ObjectPath.Parse(rest[..eq].Trim()), ParseValue(rest[(eq + 1)..].Trim()));
            default:
                throw new FormatException($"'{text}' is not a transform: write stripStatus, stripServerFields, set PATH=VALUE or remove PATH.");
        }
    }

    private static JsonNode? ParseValue(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return JsonValue.Create(text); }
    }

    public static void ApplyAll(IEnumerable<ObjectTransform> transforms, JsonObject target)
    {
        foreach (var transform in transforms) transform.Apply(target);
    }

    public sealed record StripServerFields : ObjectTransform
    {
        public override void Apply(JsonObject target)
        {
            if (target["metadata"] is not JsonObject metadata) return;
            foreach (var field in ServerFields) metadata.Remove(field);
        }
    }

    public sealed record Remove(ObjectPath Path) : ObjectTransform
    {
        public override void Apply(JsonObject target)
        {
            var parent = Walk(target, Path.Segments.Take(Path.Segments.Count - 1), create: false);
            parent?.Remove(Path.Segments[^1]);
        }
    }

    public sealed record Set(ObjectPath Path, JsonNode? Value) : ObjectTransform
    {
        public override void Apply(JsonObject target)
        {
            var parent = Walk(target, Path.Segments.Take(Path.Segments.Count - 1), create: true)
                ?? throw new FormatException($"set {Path}: a field on the way is not a map.");
            parent[Path.Segments[^1]] = Value?.DeepClone();
        }
    }

    private static JsonObject? Walk(JsonObject root, IEnumerable<string> segments, bool create)
    {
        var node = root;
        foreach (var segment in segments)
        {
            switch (node[segment])
            {
                case JsonObject next: node = next; break;
                case null when create: var made = new JsonObject(); node[segment] = made; node = made; break;
                default: return null;
            }
        }
        return node;
    }
}
