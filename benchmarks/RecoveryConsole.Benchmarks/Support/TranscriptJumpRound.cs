namespace RecoveryConsole.Benchmarks.Support;

/// <summary>One round of timed jumps: percentiles of the in-page time, of the jumps that moved the window, and of the wall time.</summary>
public sealed record TranscriptJumpRound(double P50, double P99, double Max, double MovedP50, double MovedMax, int Moved, double WallP50)
{
    public TranscriptJumpRound(IReadOnlyList<TranscriptJumpProbe.Jump> jumps) : this(
        Measure.Percentile(Sorted(jumps.Select(j => j.InPageMs)), 0.5), Measure.Percentile(Sorted(jumps.Select(j => j.InPageMs)), 0.99),
        jumps.Count == 0 ? double.NaN : jumps.Max(j => j.InPageMs),
        Measure.Percentile(Sorted(jumps.Where(j => j.MovedWindow).Select(j => j.InPageMs)), 0.5),
        jumps.Any(j => j.MovedWindow) ? jumps.Where(j => j.MovedWindow).Max(j => j.InPageMs) : double.NaN,
        jumps.Count(j => j.MovedWindow), Measure.Percentile(Sorted(jumps.Select(j => j.WallMs)), 0.5))
    {
    }

    /// <summary>Each figure's median over the rounds.</summary>
    public static TranscriptJumpRound Median(IReadOnlyList<TranscriptJumpRound> rounds) => new(
        Mid(rounds.Select(r => r.P50)), Mid(rounds.Select(r => r.P99)), Mid(rounds.Select(r => r.Max)),
        Mid(rounds.Select(r => r.MovedP50)), Mid(rounds.Select(r => r.MovedMax)), (int)Mid(rounds.Select(r => (double)r.Moved)),
        Mid(rounds.Select(r => r.WallP50)));

    public override string ToString() =>
        $"p50 {P50:N0} / p99 {P99:N0} / max {Max:N0} ms; {Moved} moved the window: p50 {MovedP50:N0} / max {MovedMax:N0} ms; Playwright wall p50 {WallP50:N0} ms";

    private static List<double> Sorted(IEnumerable<double> values) => values.Order().ToList();

    private static double Mid(IEnumerable<double> values) => Measure.Percentile(Sorted(values), 0.5);
}
