namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// Line latencies without keeping every sample (200 viewers x 200,000 lines would be 40 million): 0.1 ms buckets below
/// 100 ms, 1 ms below 10 s, 100 ms above (up to 10 minutes); the maximum is exact.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Fine = 1_000, Medium = 9_900, Coarse = 5_900;
    private readonly long[] _counts = new long[Fine + Medium + Coarse];

    public long Count { get; private set; }
    public double MaxMs { get; private set; } = double.NaN;

    public void Add(double ms)
    {
        ms = Math.Max(0, ms);
        var bucket = ms < 100 ? (int)(ms * 10) : ms < 10_000 ? Fine + (int)(ms - 100) : Fine + Medium + (int)((ms - 10_000) / 100);
        _counts[Math.Min(_counts.Length - 1, bucket)]++;
        Count++;
        MaxMs = double.IsNaN(MaxMs) ? ms : Math.Max(MaxMs, ms);
    }

    public void AddAll(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        if (!double.IsNaN(other.MaxMs)) MaxMs = double.IsNaN(MaxMs) ? other.MaxMs : Math.Max(MaxMs, other.MaxMs);
    }

    /// <summary>The non-empty buckets as (bucket, count) pairs, flat: how another process hands its samples over.</summary>
    public long[] ToPairs()
    {
        var pairs = new List<long>();
        for (var i = 0; i < _counts.Length; i++)
            if (_counts[i] > 0) pairs.AddRange([i, _counts[i]]);
        return [.. pairs];
    }

    public static LatencyHistogram FromPairs(long[] pairs, double maxMs)
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            histogram._counts[pairs[i]] += pairs[i + 1];
            histogram.Count += pairs[i + 1];
        }
        if (histogram.Count > 0) histogram.MaxMs = maxMs;
        return histogram;
    }

    /// <summary>The upper edge of the bucket holding the p-th sample (NaN without samples).</summary>
    public double Percentile(double p)
    {
        if (Count == 0) return double.NaN;
        var rank = Math.Min(Count - 1, (long)(p * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen > rank) return Math.Min(MaxMs, UpperEdge(i));
        }
        return MaxMs;
    }

    private static double UpperEdge(int bucket) => bucket < Fine ? (bucket + 1) / 10.0
        : bucket < Fine + Medium ? 100 + (bucket - Fine + 1)
        : 10_000 + (bucket - Fine - Medium + 1) * 100.0;
}
