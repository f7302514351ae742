using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// The values a run's steps captured and its operators gave. They live in layers: the root, and one per iteration (a
/// host of a forEach group, an item, a round of a repeat), so that what one host captures is seen by that host's later
/// steps and not by the next host's. A step sees its own layer and every enclosing one, the innermost winning.
/// Each capture is also stored with its step's record, so a resumed run rebuilds exactly these layers.
/// </summary>
internal sealed class RunVariables
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, JsonNode?>> _layers = new(StringComparer.Ordinal);

    /// <summary>The layer a step at instance prefix <paramref name="prefix"/> writes to: its nearest enclosing iteration.</summary>
    public static string LayerOf(string prefix)
    {
        var close = prefix.LastIndexOf(']');
        return close < 0 ? "" : prefix[..(close + 1)];
    }

    public void Set(string layer, string name, JsonNode? value) =>
        _layers.GetOrAdd(layer, _ => new(StringComparer.Ordinal))[name] = value?.DeepClone();

    /// <summary>Everything visible at <paramref name="prefix"/>, flattened for templates and conditions.</summary>
    public void AddVisible(string prefix, IDictionary<string, string> into)
    {
        foreach (var (layer, values) in _layers.Where(l => Encloses(l.Key, prefix)).OrderBy(l => l.Key.Length))
            foreach (var (name, value) in values)
                Flatten(name, value, into, depth: 0);
    }

    /// <summary>Whether <paramref name="layer"/> itself holds <paramref name="name"/> (not an enclosing layer).</summary>
    public bool Has(string layer, string name) => _layers.TryGetValue(layer, out var values) && values.ContainsKey(name);

    public JsonNode? Find(string prefix, string name)
    {
        JsonNode? found = null;
        foreach (var (_, values) in _layers.Where(l => Encloses(l.Key, prefix)).OrderBy(l => l.Key.Length))
            if (values.TryGetValue(name, out var v)) found = v;
        return found;
    }

    /// <summary>
    /// The JSON a record keeps: its layer and the values it set. <paramref name="secret"/>: names whose value is a secret
    /// output, kept masked and listed, so a resume forgets them instead of handing the mask on as a value.
    /// </summary>
    public static string Record(string layer, IReadOnlyDictionary<string, JsonNode?> values, IReadOnlyCollection<string>? secret = null)
    {
        var record = new JsonObject { ["layer"] = layer, ["values"] = new JsonObject(values.Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))) };
        if (secret is { Count: > 0 }) record["secret"] = new JsonArray(secret.Order(StringComparer.Ordinal).Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        return record.ToJsonString();
    }

    /// <summary>Before a resume: the layers as the finished steps left them, in the order they ran.</summary>
    public static RunVariables Rebuild(Run run)
    {
        var variables = new RunVariables();
        foreach (var step in run.Steps.Where(s => s.OutputsJson is not null).OrderBy(s => s.Order))
        {
            if (JsonNode.Parse(step.OutputsJson!) is not JsonObject record) continue;
            var layer = (string?)record["layer"] ?? "";
            var secret = (record["secret"] as JsonArray ?? []).Select(n => (string?)n).ToHashSet(StringComparer.Ordinal);
            // A secret output (a presigned URL) lived in memory only: a template that needs it now fails before sending anything.
            foreach (var (name, value) in record["values"] as JsonObject ?? [])
                if (!secret.Contains(name)) variables.Set(layer, name, value);
        }
        return variables;
    }

    private static bool Encloses(string layer, string prefix) =>
        layer.Length == 0 || prefix == layer || prefix.StartsWith(layer + "/", StringComparison.Ordinal);

    /// <summary>Text of a value as templates print it: strings as they are, lists as list values, objects as JSON.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonArray list => TemplateValues.FromList(list.Select(i => Text(i is JsonArray or JsonObject ? JsonValue.Create(i.ToJsonString()) : i))),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => value.ToJsonString(),
    };

    public static void Flatten(string name, JsonNode? value, IDictionary<string, string> into, int depth)
    {
        into[name] = Text(value);
        if (depth > 4) return;
        switch (value)
        {
            case JsonArray list:
                into[name + ".length"] = list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case JsonObject obj:
                foreach (var (key, child) in obj) Flatten($"{name}.{key}", child, into, depth + 1);
                break;
        }
    }

    /// <summary>A captured text becomes a JSON string; a list of texts a JSON array.</summary>
    public static JsonNode? FromElement(JsonElement element) => JsonNode.Parse(element.GetRawText());
}
