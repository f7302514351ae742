using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Ocp4.Commands.Oc;

/// <summary>
/// JSON as <c>oc get -o yaml</c> prints it (sigs.k8s.io/yaml over go-yaml v2): keys sorted, sequences in a mapping not
/// indented, strings that would read as another type double-quoted, strings plain YAML cannot carry single-quoted,
/// multi-line strings as literal blocks, and long plain strings folded at spaces after column 80.
/// </summary>
internal static partial class YamlText
{
    private const int BestWidth = 80;

    public static string Render(JsonNode? node)
    {
        var sb = new StringBuilder();
        switch (node)
        {
            case JsonObject { Count: > 0 } obj: Mapping(sb, obj, 0); break;
            case JsonArray { Count: > 0 } array: Sequence(sb, array, 0); break;
            default: sb.Append(Inline(node, 0, 0)).Append('\n'); break;
        }
        return sb.ToString();
    }

    private static void Mapping(StringBuilder sb, JsonObject obj, int indent)
    {
        var first = true;
        foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!first) sb.Append(' ', indent);
            first = false;
            var keyText = Scalar(key, indent, indent);
            sb.Append(keyText).Append(':');
            Value(sb, value, indent, indent + keyText.Length + 2, sequenceInMapping: true);
        }
    }

    private static void Sequence(StringBuilder sb, JsonArray array, int indent)
    {
        var first = true;
        foreach (var item in array)
        {
            if (!first) sb.Append(' ', indent);
            first = false;
            sb.Append('-');
            switch (item)
            {
                case JsonObject { Count: > 0 } obj:
                    sb.Append(' ');
                    Mapping(sb, obj, indent + 2);
                    break;
                case JsonArray { Count: > 0 } inner:
                    sb.Append(' ');
                    Sequence(sb, inner, indent + 2);
                    break;
                default:
                    Value(sb, item, indent, indent + 2, sequenceInMapping: false);
                    break;
            }
        }
    }

    /// <summary>Writes what follows "key:" or "-": a block on the next lines, or " scalar" and a newline.</summary>
    private static void Value(StringBuilder sb, JsonNode? value, int indent, int column, bool sequenceInMapping)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } obj:
                sb.Append('\n').Append(' ', indent + 2);
                Mapping(sb, obj, indent + 2);
                return;
            case JsonArray { Count: > 0 } array:
                var at = sequenceInMapping ? indent : indent + 2;
                sb.Append('\n').Append(' ', at);
                Sequence(sb, array, at);
                return;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && ((string)v!).Contains('\n'):
                Literal(sb, (string)v!, indent + 2);
                return;
        }
        sb.Append(' ').Append(Inline(value, indent + 2, column)).Append('\n');
    }

    private static string Inline(JsonNode? node, int indent, int column) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Scalar((string)v!, indent, column),
        _ => node.ToJsonString(),
    };

    private static void Literal(StringBuilder sb, string text, int indent)
    {
        var chomp = text.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : text.EndsWith('\n') ? "" : "-";
        sb.Append(" |").Append(chomp).Append('\n');
        var body = text.EndsWith('\n') ? text[..^1] : text;
        foreach (var line in body.Split('\n'))
        {
            if (line.Length > 0) sb.Append(' ', indent).Append(line);
            sb.Append('\n');
        }
    }

    private static string Scalar(string s, int indent, int column)
    {
        if (ReadsAsAnotherType(s)) return JsonSerializer.Serialize(s); // go-yaml double-quotes these
        if (!PlainAllowed(s)) return Fold("'" + s.Replace("'", "''", StringComparison.Ordinal) + "'", indent, column);
        return Fold(s, indent, column);
    }

    /// <summary>go-yaml's emitter breaks a line at a single space once past the best width.</summary>
    private static string Fold(string s, int indent, int column)
    {
        var sb = new StringBuilder();
        var col = column;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == ' ' && col > BestWidth && i > 0 && s[i - 1] != ' ' && i + 1 < s.Length && s[i + 1] != ' ')
            {
                sb.Append('\n').Append(' ', indent);
                col = indent;
                continue;
            }
            sb.Append(c);
            col++;
        }
        return sb.ToString();
    }

    private static bool ReadsAsAnotherType(string s) =>
        s.Length == 0 || s is "~" || NullBoolPattern().IsMatch(s) || NumberPattern().IsMatch(s) || TimestampPattern().IsMatch(s);

    private static bool PlainAllowed(string s)
    {
        if (s[0] is ' ' || s[^1] is ' ') return false;
        if ("#,[]{}&*!|>'\"%@`".Contains(s[0])) return false;
        if (s[0] is '-' or '?' or ':' && (s.Length == 1 || s[1] == ' ')) return false;
        if (s.EndsWith(':')) return false;
        return !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal) && !s.Any(char.IsControl);
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$")]
    private static partial Regex NullBoolPattern();

    [GeneratedRegex(@"^([-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|0b[01_]+|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)")]
    private static partial Regex TimestampPattern();
}
