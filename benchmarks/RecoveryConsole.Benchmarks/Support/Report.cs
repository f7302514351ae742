namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// The printed table: each figure with its target, the naive baseline measured in the same run and whether the target
/// was met. Lines are printed as they come (a long run shows progress) and again as a table at the end.
/// </summary>
public sealed class Report
{
    private readonly List<Figure> _figures = [];

    public sealed record Figure(string Benchmark, string What, string Measured, string Target, string Baseline, bool? Met);

    public string CurrentBenchmark { get; set; } = "";

    /// <summary>A figure; <paramref name="met"/> null when the figure has no target of its own (context only).</summary>
    public void Add(string what, string measured, string target, string baseline, bool? met)
    {
        var f = new Figure(CurrentBenchmark, what, measured, target, baseline, met);
        _figures.Add(f);
        Console.WriteLine($"[{f.Benchmark}] {what}: {measured} (target {target}; baseline {baseline}) {Verdict(met)}");
    }

    /// <summary>A line of context (sizes, machine load); not a figure.</summary>
    public void Note(string text) => Console.WriteLine($"[{CurrentBenchmark}] {text}");

    public IReadOnlyList<Figure> Figures => _figures;

    public void PrintTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("| figure | measured | target | naive baseline (same run) | met |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var f in _figures)
            output.WriteLine($"| {f.What} | {f.Measured} | {f.Target} | {f.Baseline} | {Verdict(f.Met)} |");
    }

    private static string Verdict(bool? met) => met switch { true => "met", false => "NOT met", null => "" };
}
