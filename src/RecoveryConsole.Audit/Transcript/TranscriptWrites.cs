namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// When the store last committed a batch of lines: the search indexer gives way to a writer that is busy (both want
/// SQLite's one write lock and, on a small machine, the same cores), since searches stay complete without the index.
/// </summary>
public sealed class TranscriptWrites(TimeProvider time)
{
    private long _lastCommit = long.MinValue;

    public void Committed() => Interlocked.Exchange(ref _lastCommit, time.GetTimestamp());

    /// <summary>Time since the last committed batch; <see cref="TimeSpan.MaxValue"/> when none yet.</summary>
    public TimeSpan SinceLastCommit
    {
        get
        {
            var last = Interlocked.Read(ref _lastCommit);
            return last == long.MinValue ? TimeSpan.MaxValue : time.GetElapsedTime(last);
        }
    }
}
