using System.Globalization;
using RecoveryConsole.Procedures.Model;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// A YAML mapping read against the keys allowed at its place: an unknown key is reported right away
/// (a typo such as <c>destrutive: true</c> must never pass silently), and typed reads report wrong values
/// with the value's own position and field path.
/// </summary>
internal sealed class YamlMap
{
    private readonly LoadContext ctx;
    private readonly Dictionary<string, YamlNode> values = new(StringComparer.Ordinal);

    private YamlMap(LoadContext ctx, YamlMappingNode node, string path)
    {
        this.ctx = ctx;
        Node = node;
        Path = path;
    }

    public YamlMappingNode Node { get; }
    public string Path { get; }

    public static YamlMap? Read(LoadContext ctx, YamlNode node, string path, IReadOnlyCollection<string> allowed)
    {
        if (node is not YamlMappingNode mapping)
        {
            ctx.Error(node, path, $"must be a mapping of keys to values, not {LoadContext.Describe(node)}.");
            return null;
        }
        var map = new YamlMap(ctx, mapping, path);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                ctx.Error(keyNode, path, "keys must be plain names.");
                continue;
            }
            if (!allowed.Contains(key))
            {
                ctx.Error(keyNode, map.Field(key),
                    $"unknown key '{key}'{Suggestions.DidYouMean(key, allowed)}; allowed here: {string.Join(", ", allowed)}.");
                continue;
            }
            map.values[key] = valueNode;
        }
        return map;
    }

    public string Field(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => values.ContainsKey(key);

    public YamlNode? Get(string key) => values.GetValueOrDefault(key);

    public IEnumerable<string> Keys => values.Keys;

    public string? String(string key, bool required = false)
    {
        if (values.TryGetValue(key, out var node))
            return ctx.Scalar(node, Field(key), required);
        if (required)
            ctx.Error(Node, Field(key), $"'{key}' is required.");
        return null;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null)
            return null;
        if (text is "true" or "false")
            return text == "true";
        ctx.Error(values[key], Field(key), $"must be true or false, not '{text}'.");
        return null;
    }

    public int? Int(string key, int min = int.MinValue)
    {
        var text = String(key);
        if (text is null)
            return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min)
            return value;
        ctx.Error(values[key], Field(key), min == int.MinValue ? $"must be a whole number, not '{text}'." : $"must be a whole number of at least {min}, not '{text}'.");
        return null;
    }

    /// <summary>A duration such as 10s, 5m, 1m30s or 500ms; must be positive unless <paramref name="allowZero"/>.</summary>
    public TimeSpan? Duration(string key, bool allowZero = false)
    {
        var text = String(key);
        if (text is null)
            return null;
        if (TryParseDuration(text, out var value) && (allowZero || value > TimeSpan.Zero))
            return value;
        ctx.Error(values[key], Field(key), $"'{text}' is not a{(allowZero ? "" : " positive")} duration such as 500ms, 10s, 5m, 1h or 1m30s.");
        return null;
    }

    private static bool TryParseDuration(string text, out TimeSpan value)
    {
        try
        {
            return Durations.TryParse(text, out value);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException)
        {
            // "99999999999h": out of TimeSpan's range is a bad value in the file, not a loader crash.
            value = TimeSpan.Zero;
            return false;
        }
    }

    /// <summary>The items of a list with their field paths (<c>steps[0]</c>); a non-list is reported and yields nothing.</summary>
    public IReadOnlyList<(YamlNode Node, string Field)> List(string key)
    {
        if (!values.TryGetValue(key, out var node) || node is YamlScalarNode s && LoadContext.IsNull(s))
            return [];
        if (node is not YamlSequenceNode sequence)
        {
            ctx.Error(node, Field(key), $"must be a list, not {LoadContext.Describe(node)}.");
            return [];
        }
        return sequence.Children.Select((item, i) => (item, $"{Field(key)}[{i}]")).ToList();
    }
}
