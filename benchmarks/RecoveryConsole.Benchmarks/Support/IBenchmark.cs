namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// One group of figures of the table. Each benchmark registers itself by existing (found by reflection), measures
/// its figure and a naive baseline in the same run, and reports both through <see cref="Report"/>.
/// </summary>
public interface IBenchmark
{
    /// <summary>Short name used on the command line (e.g. <c>ingest</c>, <c>viewers</c>, <c>search</c>).</summary>
    string Name { get; }

    /// <summary>What it measures, one line.</summary>
    string Description { get; }

    /// <param name="scale">1.0 for the full sizes; smaller (<c>--scale 0.1</c>) for a quick look.</param>
    Task RunAsync(Report report, double scale, CancellationToken cancellationToken);
}
