namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// What a reader typed, made safe for the two ways a transcript is searched: as one FTS5 phrase (quotes doubled, so
/// <c>" * ( AND NEAR</c> are text, never query syntax) and as a LIKE pattern (<c>% _ \</c> escaped with <c>\</c>).
/// </summary>
public static class TranscriptSearchText
{
    /// <summary>The trigram tokenizer needs three characters; shorter text is searched with LIKE only.</summary>
    public const int MinIndexedLength = 3;

    /// <summary>Counting every hit of a word on every line of ten million would cost seconds; past this the count says "N+".</summary>
    public const int MaxCounted = 10_000;

    public static string Normalize(string? text) => (text ?? "").Trim();

    public static bool UsesIndex(string text) => text.Length >= MinIndexedLength;

    public static string FtsPhrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string LikePattern(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>Where <paramref name="text"/> occurs in <paramref name="line"/> (case-insensitive), for highlighting.</summary>
    public static IReadOnlyList<(int Start, int Length)> Occurrences(string line, string text)
    {
        var found = new List<(int, int)>();
        if (text.Length == 0) return found;
        for (var at = line.IndexOf(text, StringComparison.OrdinalIgnoreCase); at >= 0; at = line.IndexOf(text, at + text.Length, StringComparison.OrdinalIgnoreCase))
            found.Add((at, text.Length));
        return found;
    }
}
