namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// How long the search indexer waits after a batch. While the writer is committing (a step printing a burst) the indexer
/// takes at most a fifth of the time: after a batch that took t it waits 4t, so ingest keeps its pace and the index
/// still moves; once the writer has been quiet for <see cref="Quiet"/> a backlog is indexed batch after batch. While the
/// writer is busy the batches are small too (<see cref="BusyBatch"/>): SQLite has one writer, and a 20,000-line batch held
/// the lock for half a second on a loaded machine, the writer's queue filled and the printing step waited.
/// </summary>
public static class IndexingPace
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);
    public const int WriterShare = 4;
    public const int BusyBatch = 2_000;

    /// <summary>Rows to index in the next batch: a tenth while the writer commits, the full batch once it is quiet.</summary>
    public static int Batch(TimeSpan sinceLastCommit) => sinceLastCommit < Quiet ? BusyBatch : TranscriptSearchIndexer.DefaultBatch;

    public static TimeSpan After(int indexed, int batch, TimeSpan batchTook, TimeSpan sinceLastCommit)
    {
        if (indexed < batch) return TranscriptSearchIndexing.Idle; // nothing more to do for now
        return sinceLastCommit < Quiet ? batchTook * WriterShare : TimeSpan.Zero;
    }
}
