using System.Globalization;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Procedures.Model;

/// <summary>Durations as the documents and procedure files write them: 500ms, 10s, 5m, 1h, 1m30s.</summary>
public static partial class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return false;
        foreach (Capture c in m.Groups["part"].Captures)
        {
            var unit = Unit().Match(c.Value);
            var n = double.Parse(unit.Groups[1].Value, CultureInfo.InvariantCulture);
            value += unit.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.Zero,
            };
        }
        return true;
    }

    public static TimeSpan ParseOr(string? text, TimeSpan fallback) => TryParse(text, out var v) ? v : fallback;

    public static string Format(TimeSpan t)
    {
        if (t.TotalSeconds < 1) return $"{t.TotalMilliseconds:0}ms";
        var parts = new List<string>();
        if (t.Hours + t.Days * 24 > 0) parts.Add($"{t.Hours + t.Days * 24}h");
        if (t.Minutes > 0) parts.Add($"{t.Minutes}m");
        if (t.Seconds > 0 || parts.Count == 0) parts.Add($"{t.Seconds}s");
        return string.Concat(parts);
    }

    [GeneratedRegex(@"^(?<part>\d+(?:\.\d+)?(?:ms|s|m|h))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex Unit();
}
