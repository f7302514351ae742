namespace RecoveryConsole.Procedures.ApplicabilityRules;

/// <summary>
/// The <c>applies.versions</c> text of a procedure: comma-separated terms. Forms: "&gt;=4.12", "&gt;4.3", "&lt;4.4",
/// "&lt;=4.3", "=4.16.3", "4.2-4.3" (inclusive), "3.11" (that release and its patches), "4.16.x" / "4.16.*".
/// A lower and an upper bound next to each other form one interval ("&gt;=4.12, &lt;4.17"); every other term is an
/// alternative ("4.2-4.3, 3.11"; "&lt;4.4, &gt;=4.12"). Empty text means any version.
/// </summary>
public sealed class VersionRange
{
    private readonly IReadOnlyList<Interval> _alternatives;

    private VersionRange(string text, IReadOnlyList<Interval> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    public string Text { get; }
    public bool IsAny => _alternatives.Count == 0;

    public bool Contains(ReleaseVersion version) => IsAny || _alternatives.Any(a => a.Contains(version));

    /// <summary>In words: "4.12 and later", "4.2 to 4.3 or 3.11".</summary>
    public string Describe() => IsAny ? "any version" : string.Join(" or ", _alternatives.Select(a => a.Describe()));

    /// <summary>Parses <paramref name="text"/>; the error names the term that cannot be read.</summary>
    public static VersionRange? TryParse(string? text, out string? error)
    {
        error = null;
        var alternatives = new List<Interval>();
        Interval? open = null; // bounds that may still join with the next comparator
        foreach (var term in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseTerm(term) is not { } interval)
            {
                error = $"'{term}' is not a version range (examples: >=4.12, 4.2-4.3, 3.11, <4.4, 4.16.x)";
                return null;
            }
            if (interval.IsComparator && open is not null && open.TryJoin(interval) is { } joined)
            {
                open = joined;
                continue;
            }
            if (open is not null) alternatives.Add(open);
            open = interval.IsComparator ? interval : null;
            if (!interval.IsComparator) alternatives.Add(interval);
        }
        if (open is not null) alternatives.Add(open);
        return new VersionRange((text ?? "").Trim(), alternatives);
    }

    private static Interval? ParseTerm(string term)
    {
        foreach (var (op, make) in Comparators)
        {
            if (!term.StartsWith(op, StringComparison.Ordinal)) continue;
            return Exact(term[op.Length..].Trim()) is { } v ? make(v) : null;
        }
        if (term.EndsWith(".x", StringComparison.OrdinalIgnoreCase) || term.EndsWith(".*", StringComparison.Ordinal))
            return Exact(term[..^2]) is { } prefix ? new Interval(prefix, true, prefix, true, false, term) : null;
        var dash = term.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
            return Exact(term[..dash].Trim()) is { } from && Exact(term[(dash + 1)..].Trim()) is { } to && from.CompareTo(to) <= 0
                ? new Interval(from, true, to, true, false, null) : null;
        return Exact(term) is { } only ? new Interval(only, true, only, true, false, null) : null;
    }

    // Longest operators first, so ">=" is not read as ">".
    private static readonly (string Op, Func<ReleaseVersion, Interval> Make)[] Comparators =
    [
        (">=", v => new Interval(v, true, null, false, true, null)),
        ("<=", v => new Interval(null, false, v, true, true, null)),
        (">", v => new Interval(v, false, null, false, true, null)),
        ("<", v => new Interval(null, false, v, false, true, null)),
        ("=", v => new Interval(v, true, v, true, false, null)),
    ];

    /// <summary>A version as written in a range: numbers only, nothing after them.</summary>
    private static ReleaseVersion? Exact(string text) =>
        ReleaseVersion.TryParse(text) is { } v && v.ToString() == text ? v : null;

    private sealed record Interval(ReleaseVersion? Low, bool LowInclusive, ReleaseVersion? High, bool HighInclusive, bool IsComparator, string? Written)
    {
        public bool Contains(ReleaseVersion v) =>
            (Low is null || (LowInclusive ? v.CompareTo(Low) >= 0 : v.CompareTo(Low) > 0)) &&
            (High is null || (HighInclusive ? v.CompareTo(High) <= 0 : v.CompareTo(High) < 0));

        /// <summary>A lower bound and an upper bound that overlap become one interval; anything else stays apart.</summary>
        public Interval? TryJoin(Interval other)
        {
            var low = Low ?? other.Low;
            var high = High ?? other.High;
            if ((Low is not null && other.Low is not null) || (High is not null && other.High is not null)) return null;
            if (low is not null && high is not null && low.CompareTo(high) > 0) return null;
            return new Interval(low, Low is not null ? LowInclusive : other.LowInclusive, high,
                High is not null ? HighInclusive : other.HighInclusive, true, null);
        }

        public string Describe()
        {
            if (Written is not null) return Written;
            if (Low is not null && High is not null && LowInclusive && HighInclusive)
                return Low.ToString() == High.ToString() ? Low.ToString() : $"{Low} to {High}";
            var low = Low is null ? null : LowInclusive ? $"{Low} and later" : $"versions after {Low}";
            var high = High is null ? null : Low is null
                ? (HighInclusive ? $"{High} and earlier" : $"versions before {High}")
                : (HighInclusive ? $"up to {High}" : $"before {High}");
            return string.Join(", ", new[] { low, high }.OfType<string>());
        }
    }
}
