namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// How long the search indexer waits after a batch. While the writer is committing (a step printing a burst) the indexer
/// takes at most a fifth of the time: after a batch that took t it waits 4t, so ingest keeps its pace and the index
/// still moves; once the writer has been quiet for <see cref="Quiet"/> a backlog is indexed batch after batch.
/// </summary>
public static class IndexingPace
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);
    public const int WriterShare = 4;

    public static TimeSpan After(int indexed, int batch, TimeSpan batchTook, TimeSpan sinceLastCommit)
    {
        if (indexed < batch) return TranscriptSearchIndexing.Idle; // nothing more to do for now
        return sinceLastCommit < Quiet ? batchTook * WriterShare : TimeSpan.Zero;
    }
}
