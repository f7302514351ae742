using System.Globalization;

// Not "...Procedures.Applicability": that namespace would hide the Model type Applicability inside this assembly.
namespace RecoveryConsole.Procedures.ApplicabilityRules;

/// <summary>
/// A release as numbers ("4.16.12" → 4, 16, 12). Parsing is lenient with what clusters report ("v4.16.12",
/// "4.16.12-rc.1", "3.11.157"): the leading numeric components count, anything after them is ignored.
/// </summary>
public sealed record ReleaseVersion(IReadOnlyList<int> Parts)
{
    public static ReleaseVersion? TryParse(string? text)
    {
        var s = (text ?? "").Trim();
        if (s.StartsWith('v') || s.StartsWith('V')) s = s[1..];
        var parts = new List<int>();
        foreach (var piece in s.Split('.'))
        {
            var digits = new string(piece.TakeWhile(char.IsAsciiDigit).ToArray());
            if (digits.Length == 0 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) break;
            parts.Add(n);
            if (digits.Length < piece.Length) break; // "12-rc" ends the version
        }
        return parts.Count == 0 ? null : new ReleaseVersion(parts);
    }

    public int Major => Parts[0];
    public int? Minor => Parts.Count > 1 ? Parts[1] : null;

    /// <summary>
    /// Compares on the components <paramref name="bound"/> names only, so "4.16.12" equals the bound "4.16":
    /// a range written with minors covers every patch release of those minors.
    /// </summary>
    public int CompareTo(ReleaseVersion bound)
    {
        for (var i = 0; i < bound.Parts.Count; i++)
        {
            var mine = i < Parts.Count ? Parts[i] : 0;
            if (mine != bound.Parts[i]) return mine.CompareTo(bound.Parts[i]);
        }
        return 0;
    }

    public override string ToString() => string.Join('.', Parts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
