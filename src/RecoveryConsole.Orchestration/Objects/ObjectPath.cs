using System.Text;

namespace RecoveryConsole.Orchestration.Objects;

/// <summary>
/// A field of an object: <c>spec.pausedUntil</c>, or with keys that hold dots in brackets,
/// <c>metadata.annotations["hypershift.openshift.io/restore"]</c>. Only maps: lists are replaced whole.
/// </summary>
public sealed record ObjectPath(IReadOnlyList<string> Segments)
{
    public static ObjectPath Parse(string text)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (current.Length > 0) segments.Add(current.ToString());
                else if (i == 0 || text[i - 1] != ']') throw new FormatException($"The path '{text}' has an empty field name.");
                current.Clear();
            }
            else if (c == '[')
            {
                if (current.Length > 0) segments.Add(current.ToString());
                current.Clear();
                var end = text.IndexOf("\"]", i + 2, StringComparison.Ordinal);
                if (i + 1 >= text.Length || text[i + 1] != '"' || end < 0)
                    throw new FormatException($"The path '{text}' has a bracket that is not [\"key\"].");
                segments.Add(text[(i + 2)..end]);
                i = end + 1;
            }
            else current.Append(c);
        }
        if (current.Length > 0) segments.Add(current.ToString());
        else if (text.Length == 0 || text[^1] == '.') throw new FormatException($"The path '{text}' has an empty field name.");
        return new ObjectPath(segments);
    }

    public override string ToString() => string.Join('.', Segments.Select(s => s.Contains('.', StringComparison.Ordinal) || s.Contains('/', StringComparison.Ordinal) ? $"[\"{s}\"]" : s));
}
