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
    /// The records whose command was running: a step's summary record (no host) is running too while its hosts' records
    /// print, and a group's or iteration's record while a child prints; those get no mark of their own.
    /// </summary>
    public static IReadOnlyList<StepExecution> Printing(IEnumerable<StepExecution> steps)
    {
        var running = steps.Where(s => s.Status == StepStatus.Running).ToList();
        return running.Where(s => !running.Any(other => other != s && Encloses(s, other))).ToList();
    }

    private static bool Encloses(StepExecution outer, StepExecution inner) =>
        (inner.StepPath == outer.StepPath && outer.Host.Length == 0 && inner.Host.Length > 0) ||
        (inner.StepPath.Length > outer.StepPath.Length && inner.StepPath.StartsWith(outer.StepPath, StringComparison.Ordinal)
            && inner.StepPath[outer.StepPath.Length] is '/' or '[');

    public static string DiedWhilePrinting(string step, long lastStoredSequence) =>
        $"{Prefix} the console died while {step} was printing; output after sequence {lastStoredSequence} that was not yet stored is gone.";
}
