using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Shell;

/// <summary>
/// `ls -v` order: digit runs compare as numbers (snapshot_2 &lt; snapshot_10). cluster-restore.sh picks the latest
/// backup with `ls -v | tail -1`, so the lab's ls and the script must agree on it.
/// </summary>
internal sealed partial class NaturalOrder : IComparer<string>
{
    public static readonly NaturalOrder Instance = new();

    [GeneratedRegex(@"\d+|\D+")]
    private static partial Regex Chunks();

    public int Compare(string? x, string? y)
    {
        var a = Chunks().Matches(x ?? "");
        var b = Chunks().Matches(y ?? "");
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var (p, q) = (a[i].Value, b[i].Value);
            var result = char.IsAsciiDigit(p[0]) && char.IsAsciiDigit(q[0])
                ? p.TrimStart('0').Length != q.TrimStart('0').Length
                    ? p.TrimStart('0').Length.CompareTo(q.TrimStart('0').Length)
                    : string.CompareOrdinal(p.TrimStart('0'), q.TrimStart('0'))
                : string.CompareOrdinal(p, q);
            if (result != 0) return result;
        }
        return a.Count.CompareTo(b.Count);
    }
}
