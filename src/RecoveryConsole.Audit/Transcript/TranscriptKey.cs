namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// A line's key in TranscriptLines: <c>(RunKey &lt;&lt; 32) | Sequence</c>, its INTEGER PRIMARY KEY. One B-tree holds the
/// lines (no second index for (run, sequence)), a run's lines are one contiguous key range, so "lines of run R after
/// sequence N" is a rowid range scan, and the key is explicit, so a VACUUM never renumbers it under the FTS index.
/// RunKey is the run's small integer in TranscriptRuns, given when its first line is stored.
/// </summary>
internal readonly record struct TranscriptKey(long RunKey)
{
    /// <summary>Sequences fit in the low 32 bits: 4,294,967,295 lines a run.</summary>
    public const long MaxSequence = uint.MaxValue;

    /// <summary>The key of sequence 0 (no line has it), so every line of the run is above it.</summary>
    public long Base => RunKey << 32;

    public long Last => Base | MaxSequence;

    public long Of(long sequence) => Base + sequence;

    public static long SequenceOf(long key) => key & MaxSequence;

    public static long RunKeyOf(long key) => key >> 32;

    public static void CheckSequence(long sequence)
    {
        if (sequence is < 0 or > MaxSequence)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"A transcript line's sequence must be between 0 and {MaxSequence}.");
    }
}
