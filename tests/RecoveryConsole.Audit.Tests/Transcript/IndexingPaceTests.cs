using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Audit.Transcript;

namespace RecoveryConsole.Audit.Tests.Transcript;

/// <summary>The search indexer gives way to a busy writer and catches up at full pace once it is quiet.</summary>
public sealed class IndexingPaceTests
{
    private static readonly TimeSpan BatchTook = TimeSpan.FromMilliseconds(300);

    [Fact]
    public void While_the_writer_commits_the_indexer_waits_four_times_its_batch()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1_200), IndexingPace.After(20_000, 20_000, BatchTook, TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void Once_the_writer_is_quiet_a_backlog_is_indexed_without_pause()
    {
        Assert.Equal(TimeSpan.Zero, IndexingPace.After(20_000, 20_000, BatchTook, IndexingPace.Quiet));
        Assert.Equal(TimeSpan.Zero, IndexingPace.After(20_000, 20_000, BatchTook, TimeSpan.MaxValue));
    }

    [Fact]
    public void While_the_writer_commits_the_indexer_takes_small_batches_and_full_ones_once_it_is_quiet()
    {
        Assert.Equal(IndexingPace.BusyBatch, IndexingPace.Batch(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(TranscriptSearchIndexer.DefaultBatch, IndexingPace.Batch(IndexingPace.Quiet));
        Assert.Equal(TranscriptSearchIndexer.DefaultBatch, IndexingPace.Batch(TimeSpan.MaxValue));
        Assert.True(IndexingPace.BusyBatch * 5 <= TranscriptSearchIndexer.DefaultBatch, "a busy writer's batches are not much smaller than a quiet one's");
    }

    [Fact]
    public void With_nothing_left_to_index_the_indexer_idles()
    {
        Assert.Equal(TranscriptSearchIndexing.Idle, IndexingPace.After(7, 20_000, BatchTook, TimeSpan.MaxValue));
        Assert.Equal(TranscriptSearchIndexing.Idle, IndexingPace.After(0, 20_000, TimeSpan.Zero, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task The_store_says_when_it_last_committed_lines()
    {
        await using var store = await TestStore.CreateAsync();
        var writes = (TranscriptWrites)store.Services.GetService(typeof(TranscriptWrites))!;
        Assert.Equal(TimeSpan.MaxValue, writes.SinceLastCommit);
        await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(Guid.NewGuid(), 1, 10), CancellationToken.None);
        Assert.InRange(writes.SinceLastCommit, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }
}
