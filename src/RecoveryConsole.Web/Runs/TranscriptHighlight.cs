using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Runs;

/// <summary>A line cut into plain and matching parts, so the page marks what the search found (rendered as text, never markup).</summary>
public static class TranscriptHighlight
{
    public static IReadOnlyList<(string Text, bool Hit)> Split(string line, string? searched)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrEmpty(searched)) return [(line, false)];
        var parts = new List<(string, bool)>();
        var at = 0;
        foreach (var (start, length) in TranscriptSearchText.Occurrences(line, searched))
        {
            if (start > at) parts.Add((line[at..start], false));
            parts.Add((line.Substring(start, length), true));
            at = start + length;
        }
        if (at < line.Length || parts.Count == 0) parts.Add((line[at..], false));
        return parts;
    }
}
