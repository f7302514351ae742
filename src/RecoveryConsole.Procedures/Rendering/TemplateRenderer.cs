using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Procedures.Rendering;

/// <summary>
/// Fills <c>{{ name }}</c> placeholders. Every value is escaped for its destination, so a parameter can
/// never change the shape of a command, a path or a JSON body. A literal "{{" (e.g. in a Go template
/// passed to <c>oc -o go-template</c>) is written <c>\{{</c>; any other "{{" is an error, so a mistyped
/// placeholder never reaches a host unrendered.
/// </summary>
public static partial class TemplateRenderer
{
    [GeneratedRegex(@"\G\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")]
    private static partial Regex Placeholder();

    public static string Render(string template, IReadOnlyDictionary<string, string> values, Escaping escaping)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new StringBuilder(template.Length);
        foreach (var part in Parse(template))
        {
            if (part.Name is null)
            {
                result.Append(part.Text);
                continue;
            }
            if (!values.TryGetValue(part.Name, out var value))
                throw new TemplateException($"No value for '{{{{ {part.Name} }}}}'.", part.Name);
            result.Append(Escape(value, escaping));
        }
        return result.ToString();
    }

    /// <summary>The names a template refers to, in order (repeats included); throws on a malformed placeholder.</summary>
    public static IEnumerable<string> References(string template) =>
        Parse(template).Where(p => p.Name is not null).Select(p => p.Name!).ToList();

    public static string Escape(string value, Escaping escaping)
    {
        if (!TemplateValues.IsList(value)) return EscapeOne(value, escaping);
        var items = TemplateValues.Items(value).Select(i => EscapeOne(i, escaping));
        return string.Join(escaping switch { Escaping.Shell => " ", Escaping.None => ", ", _ => "," }, items);
    }

    private static string EscapeOne(string value, Escaping escaping) => escaping switch
    {
        Escaping.Shell => ShellQuote.Quote(value),
        Escaping.Url => Uri.EscapeDataString(value),
        // Relaxed: keeps non-ASCII readable in audit logs; quotes, backslashes and controls are still escaped.
        Escaping.Json => JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
        Escaping.None => value,
        _ => throw new ArgumentOutOfRangeException(nameof(escaping)),
    };

    private readonly record struct Part(string? Text, string? Name);

    private static List<Part> Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '\\' && string.CompareOrdinal(template, i + 1, "{{", 0, 2) == 0)
            {
                literal.Append("{{");
                i += 3;
                continue;
            }
            if (string.CompareOrdinal(template, i, "{{", 0, 2) != 0)
            {
                literal.Append(template[i++]);
                continue;
            }
            var match = Placeholder().Match(template, i);
            if (!match.Success)
                throw new TemplateException(
                    $"Malformed placeholder at character {i + 1}: expected '{{{{ name }}}}' (write '\\{{{{' for a literal '{{{{').");
            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), null));
                literal.Clear();
            }
            parts.Add(new Part(null, match.Groups[1].Value));
            i += match.Length;
        }
        if (literal.Length > 0)
            parts.Add(new Part(literal.ToString(), null));
        return parts;
    }
}
