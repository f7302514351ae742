using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Runs;

/// <summary>
/// The run page's step@host column: the step's own name and the host (<c>move-manifest@master-1</c>), where the
/// instance path (<c>stop-etcd[master-1]/move-manifest@master-1</c>) would be cut off; the full path goes in the title.
/// </summary>
public static class TranscriptWhere
{
    public static string Label(TranscriptLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.StepPath.Length == 0) return line.Host.Length == 0 ? "run" : line.Host;
        var leaf = line.StepPath[(line.StepPath.LastIndexOf('/') + 1)..];
        var bracket = leaf.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0) leaf = leaf[..bracket];
        return line.Host.Length == 0 ? leaf : $"{leaf}@{line.Host}";
    }

    /// <summary>The full instance path and host, as the exports print it.</summary>
    public static string Full(TranscriptLine line) => Exports.TranscriptExport.Where(line);
}
