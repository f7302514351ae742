using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Audit.Tests.Transcript;
using RecoveryConsole.Audit.Transcript;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Tests.Storage;

/// <summary>A database written by the previous schema (TranscriptLines keyed by RunId and Sequence) opens after the
/// TranscriptKeys migration and reads, searches and appends the same.</summary>
public sealed class TranscriptKeysMigrationTests
{
    private const string PreviousMigration = "20261203103107_TranscriptPaging";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Lines_stored_by_the_previous_schema_read_search_and_continue_the_same_after_the_migration()
    {
        await using var store = await TestStore.CreateAsync(migrate: false);
        await using (var context = store.NewContext())
            await context.GetService<IMigrator>().MigrateAsync(PreviousMigration, None);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        // Interleaved as the old writer stored them, the first half indexed by the old indexer.
        TranscriptLine[] old = [.. TranscriptQueryTests.Lines(first, 1, 150), .. TranscriptQueryTests.Lines(second, 1, 80), .. TranscriptQueryTests.Lines(first, 151, 50)];
        foreach (var line in old)
            await store.ExecuteAsync("INSERT INTO TranscriptLines (RunId, Sequence, StepPath, Host, Stream, Timestamp, Text) VALUES ($r, $s, $p, $h, $st, $t, $x)",
                ("$r", line.RunId.ToByteArray()), ("$s", line.Sequence), ("$p", line.StepPath), ("$h", line.Host), ("$st", (int)line.Stream),
                ("$t", line.Timestamp.UtcTicks), ("$x", line.Text));
        await store.ExecuteAsync("INSERT INTO TranscriptSearch (rowid, Text) SELECT rowid, Text FROM TranscriptLines WHERE rowid <= 100");
        await store.ExecuteAsync("UPDATE TranscriptSearchProgress SET LastRowId = 100");

        await store.Services.MigrateAuditStoreAsync(None);

        await using (var context = store.NewContext())
            Assert.Empty(await context.Database.GetPendingMigrationsAsync());
        Assert.Equal(TranscriptQueryTests.Lines(first, 1, 200), await store.Transcripts.ReadAsync(first, 0, 1_000, None));
        Assert.Equal(TranscriptQueryTests.Lines(second, 1, 80), await store.Transcripts.ReadAsync(second, 0, 1_000, None));
        Assert.Equal(200, await store.Transcripts.LastSequenceAsync(first, None));
        var query = TranscriptQueryTests.Query(store);
        Assert.Equal(new TranscriptCount(80, 80), await query.CountAsync(second, TranscriptFilter.None, None));

        // The old index pointed at the old rowids: it starts again empty, and searches read the lines with LIKE meanwhile.
        const string text = "10-0-42.ec2";
        (Guid, long)[] expected = [(first, 42), (first, 92), (first, 142), (first, 192)];
        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT count(*) FROM TranscriptSearch WHERE TranscriptSearch MATCH '\"etcd\"'"));
        Assert.Equal(expected, (await query.SearchRunAsync(first, TranscriptFilter.None, text, 100, None)).Lines.Select(l => (l.RunId, l.Sequence)));
        var indexer = (TranscriptSearchIndexer)store.Services.GetService(typeof(TranscriptSearchIndexer))!;
        Assert.Equal(280, await indexer.CatchUpAsync(None));
        await store.ExecuteAsync("INSERT INTO TranscriptSearch(TranscriptSearch) VALUES ('integrity-check')");
        Assert.Equal(expected, (await query.SearchRunAsync(first, TranscriptFilter.None, text, 100, None)).Lines.Select(l => (l.RunId, l.Sequence)));
        (Guid, long)[] acrossRuns = [(second, 42), .. Enumerable.Reverse(expected)];
        Assert.Equal(acrossRuns, (await query.SearchAllAsync(text, 100, None)).Lines.Select(l => (l.RunId, l.Sequence)));

        // A run resumed after the upgrade appends after its last line.
        await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(first, 201, 5), None);
        Assert.Equal(TranscriptQueryTests.Lines(first, 1, 205), await store.Transcripts.ReadAsync(first, 0, 1_000, None));
    }
}
