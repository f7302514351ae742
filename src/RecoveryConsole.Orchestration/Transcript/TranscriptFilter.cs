using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// Which lines of a run a reader looks at. <see cref="Step"/>: a step path and everything under it (its children and
/// its per-host instances, <c>stop-etcd</c> covers <c>stop-etcd[master-1]/move</c>), <see cref="ClusterLevel"/> for
/// lines outside any step, or <see cref="All"/>. <see cref="Host"/>: a host, <see cref="ClusterLevel"/> for lines of no
/// host, or <see cref="All"/>. <see cref="Stream"/>: one stream or null for every stream.
/// </summary>
public sealed record TranscriptFilter(string Step = TranscriptFilter.All, string Host = TranscriptFilter.All, OutputStream? Stream = null)
{
    public const string All = "";
    public const string ClusterLevel = "\u0000cluster";

    /// <summary>The preflight checks' lines are all under paths starting with this (preflight, preflight-2, ...).</summary>
    public const string PreflightPath = "preflight";

    public static readonly TranscriptFilter None = new();

    public bool IsNone => Step == All && Host == All && Stream is null;

    public bool Matches(TranscriptLine line) =>
        (Host == All || (Host == ClusterLevel ? line.Host.Length == 0 : line.Host == Host))
        && (Step == All || IsUnder(line.StepPath, Step))
        && (Stream is null || line.Stream == Stream);

    public static bool IsUnder(string path, string step) =>
        step == ClusterLevel ? path.Length == 0
        : path == step || path.StartsWith(step + "/", StringComparison.Ordinal) || path.StartsWith(step + "[", StringComparison.Ordinal)
          || (step == PreflightPath && path.StartsWith(PreflightPath, StringComparison.Ordinal));
}
