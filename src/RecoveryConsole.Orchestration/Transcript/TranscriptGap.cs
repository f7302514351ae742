using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// The explicit mark a transcript carries where output was lost: a step was printing when the console died, so what
/// its command printed after the last stored line (still in the pipe, or queued for the writer) is gone. Numbering
/// continues after the last stored line, which is also the last line any viewer can have seen.
/// </summary>
public static class TranscriptGap
{
    public const string Prefix = "Lines may have been lost:";

    /// <summary>
    /// The records whose command was running: a step's summary record (no host) or a group's record is running too while
    /// its host or child records print, and gets no mark of its own then.
    /// </summary>
    public static IReadOnlyList<StepExecution> Printing(IEnumerable<StepExecution> steps)
    {
        var running = steps.Where(s => s.Status == StepStatus.Running).ToList();
        return running.Where(s => s.Host.Length > 0 || !running.Any(other => other != s && Within(other, s.StepPath))).ToList();
    }

    private static bool Within(StepExecution other, string path) =>
        (other.StepPath == path && other.Host.Length > 0) ||
        (other.StepPath.Length > path.Length && other.StepPath.StartsWith(path, StringComparison.Ordinal) && other.StepPath[path.Length] is '/' or '[');

    public static string DiedWhilePrinting(string step, long lastStoredSequence) =>
        $"{Prefix} the console died while {step} was printing; output after sequence {lastStoredSequence} that was not yet stored is gone.";
}
