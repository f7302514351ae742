using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Tests.Transcript;

/// <summary>Reads take no write lock: a page, a count, a search or a seal's read never queues behind a writer's (or the
/// search indexer's) open transaction, and what they read is what was committed before it.</summary>
public sealed class TranscriptReadsWhileWritingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Reads_answer_from_the_committed_lines_while_another_connection_holds_the_write_lock()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var lines = TranscriptQueryTests.Lines(run, 1, 100);
        await store.Transcripts.AppendAsync(lines, None);

        await using var writer = await store.OpenConnectionAsync();
        await using var held = writer.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, kept
        await using (var insert = writer.CreateCommand())
        {
            insert.Transaction = held;
            insert.CommandText = "UPDATE TranscriptRuns SET LastSequence = LastSequence";
            await insert.ExecuteNonQueryAsync();
        }

        var query = TranscriptQueryTests.Query(store);
        // Well below the 10 s busy timeout a read that wanted the lock would wait for.
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(lines, await store.Transcripts.ReadAsync(run, 0, 1_000, None).WaitAsync(quick.Token));
        Assert.Equal(100, await store.Transcripts.LastSequenceAsync(run, None).WaitAsync(quick.Token));
        Assert.Equal(new TranscriptCount(100, 100), await query.CountAsync(run, TranscriptFilter.None, None).WaitAsync(quick.Token));
        Assert.Equal(lines[10..15], await query.PageAsync(run, TranscriptFilter.None, 10, 5, None).WaitAsync(quick.Token));
        TranscriptLine[] hits = [lines[41], lines[91]];
        Assert.Equal(hits, (await query.SearchRunAsync(run, TranscriptFilter.None, "10-0-42.ec2", 10, None).WaitAsync(quick.Token)).Lines);
    }
}
