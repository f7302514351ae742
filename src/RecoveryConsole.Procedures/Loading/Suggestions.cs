namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// "Did you mean ...?" for misspelt keys and names: the closest candidate within two edits, else one that
/// the word is a clear prefix of (controlPlane -> controlPlaneHosts).
/// </summary>
internal static class Suggestions
{
    public static string DidYouMean(string word, IEnumerable<string> candidateNames)
    {
        var candidates = candidateNames.ToList();
        var best = candidates
            .Select(c => (Candidate: c, Distance: Distance(word.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .FirstOrDefault();
        var candidate = best.Candidate
            ?? (word.Length >= 4 ? candidates.FirstOrDefault(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase)) : null);
        return candidate is null ? "" : $" (did you mean '{candidate}'?)";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
