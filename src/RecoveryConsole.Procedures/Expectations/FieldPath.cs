using System.Globalization;
using System.Text.Json;

namespace RecoveryConsole.Procedures.Expectations;

/// <summary>
/// A path into a JSON document, close to what the documentation's jsonpath commands read:
/// <c>status.latestAvailableRevision</c>, <c>items[0].metadata.name</c>,
/// <c>status.conditions[type=NodeInstallerProgressing].reason</c> (first element whose field equals the value),
/// <c>items.length</c> (number of elements of an array).
/// </summary>
public sealed class FieldPath
{
    private abstract record Segment;
    private sealed record Property(string Name) : Segment;
    private sealed record Index(int Value) : Segment;
    private sealed record Filter(FieldPath Key, string Value, bool Equal = true) : Segment
    {
        public bool Holds(JsonElement e) => string.Equals(Key.Select(e), Value, StringComparison.Ordinal) == Equal;
    }
    private sealed record Wildcard : Segment;

    private readonly IReadOnlyList<Segment> segments;

    private FieldPath(string text, IReadOnlyList<Segment> segments)
    {
        Text = text;
        this.segments = segments;
    }

    public string Text { get; }

    public override string ToString() => Text;

    /// <summary>Parses a path; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static FieldPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<Segment>();
        var i = 0;
        var expectName = true;
        while (i < text.Length)
        {
            if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                    throw new FormatException($"Field path '{text}': '[' at character {i + 1} is not closed.");
                segments.Add(ParseBracket(text, text[(i + 1)..close]));
                i = close + 1;
                expectName = false;
                continue;
            }
            if (text[i] == '.')
            {
                if (expectName)
                    throw new FormatException($"Field path '{text}': empty name at character {i + 1}.");
                i++;
                expectName = true;
                continue;
            }
            if (!expectName)
                throw new FormatException($"Field path '{text}': expected '.' or '[' at character {i + 1}.");
            var end = text.IndexOfAny(['.', '['], i);
            if (end < 0)
                end = text.Length;
            segments.Add(new Property(text[i..end]));
            i = end;
            expectName = false;
        }
        if (segments.Count == 0 || expectName)
            throw new FormatException($"Field path '{text}' is empty or ends with '.'.");
        return new FieldPath(text, segments);
    }

    private static Segment ParseBracket(string text, string inner)
    {
        if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new Index(index);
        if (inner.Trim() == "*")
            return new Wildcard();
        var eq = inner.IndexOf('=');
        if (eq <= 0)
            throw new FormatException($"Field path '{text}': '[{inner}]' is neither an index nor a [field=value] filter.");
        var value = inner[(eq + 1)..].Trim();
        if (value.Length >= 2 && value[0] == value[^1] && value[0] is '\'' or '"')
            value = value[1..^1];
        var notEqual = inner[eq - 1] == '!';
        var key = inner[..(notEqual ? eq - 1 : eq)].Trim();
        if (key.Length == 0)
            throw new FormatException($"Field path '{text}': '[{inner}]' has no field before the comparison.");
        return new Filter(Parse(key), value, Equal: !notEqual);
    }

    /// <summary>The selected value as text, or null when it is missing (or JSON null).</summary>
    public string? Select(JsonElement root)
    {
        var current = root;
        for (var i = 0; i < segments.Count; i++)
        {
            // "length" of an array is its element count; nothing can be selected below a count.
            if (segments[i] is Property { Name: "length" } && current.ValueKind == JsonValueKind.Array)
                return i == segments.Count - 1 ? current.GetArrayLength().ToString(CultureInfo.InvariantCulture) : null;
            JsonElement? next = segments[i] switch
            {
                Property p when current.ValueKind == JsonValueKind.Object && current.TryGetProperty(p.Name, out var v) => v,
                Index ix when current.ValueKind == JsonValueKind.Array && ix.Value < current.GetArrayLength() => current[ix.Value],
                Filter f when current.ValueKind == JsonValueKind.Array =>
                    current.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(e => f.Holds(e!.Value)),
                Wildcard when current.ValueKind == JsonValueKind.Array && current.GetArrayLength() > 0 => current[0],
                _ => null,
            };
            if (next is null)
                return null;
            current = next.Value;
        }
        return AsText(current);
    }

    /// <summary>
    /// Every element the path selects: <c>[*]</c> and <c>[field=value]</c> (or <c>!=</c>) select all matching elements
    /// of an array, so <c>items[status.phase=Running].metadata.name</c> gives the names of every running pod.
    /// </summary>
    public IReadOnlyList<JsonElement> SelectAll(JsonElement root)
    {
        IEnumerable<JsonElement> current = [root];
        foreach (var segment in segments)
        {
            current = segment switch
            {
                Property { Name: "length" } => current.Select(e => e.ValueKind == JsonValueKind.Array
                    ? JsonDocument.Parse(e.GetArrayLength().ToString(CultureInfo.InvariantCulture)).RootElement
                    : e.ValueKind == JsonValueKind.Object && e.TryGetProperty("length", out var l) ? l : default).Where(Present),
                Property p => current.Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(p.Name, out var v) ? v : default).Where(Present),
                Index ix => current.Select(e => e.ValueKind == JsonValueKind.Array && ix.Value < e.GetArrayLength() ? e[ix.Value] : default).Where(Present),
                Filter f => current.Where(e => e.ValueKind == JsonValueKind.Array).SelectMany(e => e.EnumerateArray()).Where(f.Holds),
                Wildcard => current.Where(e => e.ValueKind == JsonValueKind.Array).SelectMany(e => e.EnumerateArray()),
                _ => [],
            };
        }
        return current.Where(e => e.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)).ToList();
    }

    /// <summary>The value of <paramref name="element"/> as text: strings as they are, numbers as written, objects as JSON.</summary>
    public static string? TextOf(JsonElement element) => AsText(element);

    private static bool Present(JsonElement e) => e.ValueKind != JsonValueKind.Undefined;

    /// <summary>Parses <paramref name="json"/> and selects <paramref name="path"/>; invalid JSON throws <see cref="JsonException"/>.</summary>
    public static string? Select(string json, string path)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(path).Select(document.RootElement);
    }

    private static string? AsText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element.GetRawText(), // numbers as written; objects and arrays as raw JSON
    };
}
