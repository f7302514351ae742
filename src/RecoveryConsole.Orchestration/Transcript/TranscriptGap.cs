namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// The explicit mark a transcript carries where output was lost: a step was printing when the console died, so what
/// its command printed after the last stored line (still in the pipe, or queued for the writer) is gone. Numbering
/// continues after the last stored line, which is also the last line any viewer can have seen.
/// </summary>
public static class TranscriptGap
{
    public const string Prefix = "Lines may have been lost:";

    public static string DiedWhilePrinting(string step, long lastStoredSequence) =>
        $"{Prefix} the console died while {step} was printing; output after sequence {lastStoredSequence} that was not yet stored is gone.";
}
