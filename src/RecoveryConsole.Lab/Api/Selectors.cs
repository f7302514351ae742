using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>
/// Label selectors (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>)
/// and field selectors (<c>metadata.name=x</c>, any dotted path, = == !=), comma-separated and all required.
/// </summary>
internal static class Selectors
{
    public static Func<JsonObject, bool> ParseLabels(string selector)
    {
        var requirements = SplitTopLevel(selector).Select(ParseLabelRequirement).ToList();
        return obj =>
        {
            var labels = obj["metadata"]?["labels"] as JsonObject;
            return requirements.All(r => r(labels));
        };
    }

    public static Func<JsonObject, bool> ParseFields(string selector)
    {
        var requirements = new List<Func<JsonObject, bool>>();
        foreach (var part in SplitTopLevel(selector))
        {
            var (key, op, value) = SplitOperator(part) ?? throw KubeStatus.BadRequest($"invalid field selector: '{part}'");
            var segments = key.Split('.');
            requirements.Add(obj => (ValueAt(obj, segments) == value) == (op != "!="));
        }
        return obj => requirements.All(r => r(obj));
    }

    private static Func<JsonObject?, bool> ParseLabelRequirement(string text)
    {
        var part = text.Trim();
        static string? Label(JsonObject? labels, string key) => labels?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        foreach (var (word, negate) in new[] { (" notin ", true), (" in ", false) })
        {
            var at = part.IndexOf(word, StringComparison.Ordinal);
            if (at < 0) continue;
            var key = part[..at].Trim();
            var set = part[(at + word.Length)..].Trim();
            if (!set.StartsWith('(') || !set.EndsWith(')')) throw KubeStatus.BadRequest($"unable to parse requirement: '{part}'");
            var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return labels =>
            {
                var value = Label(labels, key);
                return negate ? value is null || !values.Contains(value) : value is not null && values.Contains(value);
            };
        }

        if (SplitOperator(part) is { } requirement)
            return labels => (Label(labels, requirement.Key) == requirement.Value) == (requirement.Op != "!=");
        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return labels => Label(labels, key) is null;
        }
        if (part.Length == 0 || part.Any(c => c is ' ' or '(' or ')' or '=')) throw KubeStatus.BadRequest($"unable to parse requirement: '{part}'");
        return labels => Label(labels, part) is not null;
    }

    private static (string Key, string Op, string Value)? SplitOperator(string part)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0) return (part[..at].Trim(), op, part[(at + op.Length)..].Trim());
        }
        return null;
    }

    private static string? ValueAt(JsonObject obj, string[] segments)
    {
        JsonNode? node = obj;
        foreach (var segment in segments) node = (node as JsonObject)?[segment];
        return node switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => null,
        };
    }

    /// <summary>Splits at commas outside parentheses, so "a in (x,y),b" is two requirements.</summary>
    private static IEnumerable<string> SplitTopLevel(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
            else if (selector[i] == ',' && depth == 0)
            {
                if (i > start) yield return selector[start..i];
                start = i + 1;
            }
        }
        if (start < selector.Length) yield return selector[start..];
    }
}
