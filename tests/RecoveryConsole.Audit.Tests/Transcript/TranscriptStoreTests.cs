using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using Xunit.Abstractions;

namespace RecoveryConsole.Audit.Tests.Transcript;

public sealed class TranscriptStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    internal static readonly DateTimeOffset Start = new DateTimeOffset(2026, 4, 2, 10, 0, 0, TimeSpan.FromHours(-4)).AddTicks(7);

    internal static TranscriptLine Line(Guid runId, long sequence) => new(
        runId, sequence,
        $"stop-etcd-elsewhere/{sequence % 3}",
        sequence % 2 == 0 ? "master-0.lab.example" : "master-1.lab.example",
        (OutputStream)(sequence % 3),
        Start.AddTicks(sequence * 10),
        $"{sequence:D8} etcd-member-{sequence % 7}: restoring snapshot chunk, {sequence * 31 % 997} bytes written ✓");

    internal static TranscriptLine[] Batch(Guid runId, long first, int count) =>
        Enumerable.Range(0, count).Select(i => Line(runId, first + i)).ToArray();

    [Fact]
    public async Task Read_pages_through_a_run_in_order_without_gaps_or_duplicates()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        // Two runs interleaved in the same batches, as one writer sends them.
        for (var first = 1L; first <= 10_000; first += 500)
            await store.Transcripts.AppendAsync([.. Batch(run, first, 500), .. Batch(other, first, 100)], None);

        var read = new List<TranscriptLine>();
        var after = 0L;
        while (true)
        {
            var page = await store.Transcripts.ReadAsync(run, after, 777, None);
            if (page.Count == 0) break;
            Assert.True(page.Count <= 777);
            read.AddRange(page);
            after = page[^1].Sequence;
        }

        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => (long)i), read.Select(l => l.Sequence));
        Assert.Equal(Batch(run, 1, 10_000), read); // every field, record equality (timestamps as instants)
        Assert.Empty(await store.Transcripts.ReadAsync(run, 10_000, 10, None));
        Assert.Equal(3, (await store.Transcripts.ReadAsync(run, 9_997, 10, None)).Count);
        Assert.Empty(await store.Transcripts.ReadAsync(run, 0, 0, None));
    }

    [Fact]
    public async Task Last_sequence_is_zero_for_a_run_without_lines()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        Assert.Equal(0, await store.Transcripts.LastSequenceAsync(run, None));
        await store.Transcripts.AppendAsync(Batch(run, 1, 5), None);
        await store.Transcripts.AppendAsync(Batch(Guid.NewGuid(), 1, 50), None);
        Assert.Equal(5, await store.Transcripts.LastSequenceAsync(run, None));
    }

    [Fact]
    public async Task A_batch_is_atomic_and_a_sequence_stored_twice_fails_it_whole()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        await store.Transcripts.AppendAsync(Batch(run, 1, 10), None);

        TranscriptLine[] overlapping = [.. Batch(run, 11, 10), Line(run, 5)];
        var error = await Assert.ThrowsAsync<SqliteException>(() => store.Transcripts.AppendAsync(overlapping, None));
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT

        Assert.Equal(10, await store.Transcripts.LastSequenceAsync(run, None));
        Assert.Equal(10L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM TranscriptLines"));
    }

    [Fact]
    public async Task An_empty_batch_writes_nothing()
    {
        await using var store = await TestStore.CreateAsync();
        await store.Transcripts.AppendAsync([], None);
        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM TranscriptLines"));
    }

    [Fact]
    public async Task Empty_fields_stay_empty_text_and_long_multi_byte_lines_come_back_whole()
    {
        // The store binds text from one reused UTF-8 buffer: an empty value must not become NULL, a line longer than the
        // buffer must grow it, and characters of several bytes must survive (counted in bytes, not chars).
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var longLine = string.Concat(Enumerable.Repeat("etcd ✓ Überprüfung 完成 🚀 ", 2_000));
        TranscriptLine[] lines =
        [
            new(run, 1, "", "", OutputStream.System, Start, "Run Succeeded: done"),
            new(run, 2, "stop-etcd[master-0]/move", "master-0", OutputStream.Stdout, Start, longLine),
            new(run, 3, "s", "h", OutputStream.Stderr, Start, ""),
            new(run, 4, "s", "h", OutputStream.Stdout, Start, "short after long ✓"),
        ];
        await store.Transcripts.AppendAsync(lines, None);

        Assert.Equal(lines, await store.Transcripts.ReadAsync(run, 0, 10, None));
        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM TranscriptLines WHERE StepPath IS NULL OR Host IS NULL OR Text IS NULL"));
        Assert.Equal("text", await store.ScalarAsync<string>("SELECT typeof(Text) FROM TranscriptLines WHERE Id & 4294967295 = 3"));
    }

    [Fact]
    public async Task A_line_is_one_row_of_one_b_tree_keyed_by_its_run_key_and_sequence()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        await store.Transcripts.AppendAsync([Line(run, 4)], None);
        await store.Transcripts.AppendAsync([Line(other, 1), Line(run, 5)], None);

        // No index beside the table's own key: the run's GUID is stored once, in TranscriptRuns, not on every line.
        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'TranscriptLines'"));
        var runKey = await store.ScalarAsync<long>("SELECT RunKey FROM TranscriptRuns WHERE RunId = $r", ("$r", run.ToByteArray()));
        var otherKey = await store.ScalarAsync<long>("SELECT RunKey FROM TranscriptRuns WHERE RunId = $r", ("$r", other.ToByteArray()));
        Assert.NotEqual(runKey, otherKey);
        Assert.Equal(2L, await store.ScalarAsync<long>("SELECT count(*) FROM TranscriptLines WHERE Id IN ($a, $b)",
            ("$a", (runKey << 32) | 4), ("$b", (runKey << 32) | 5)));
        Assert.Equal(5L, await store.ScalarAsync<long>("SELECT LastSequence FROM TranscriptRuns WHERE RunKey = $k", ("$k", runKey)));
        Assert.Equal(Start.AddTicks(40).UtcTicks, await store.ScalarAsync<long>("SELECT Timestamp FROM TranscriptLines WHERE Id = $a", ("$a", (runKey << 32) | 4)));
        Assert.Equal((long)OutputStream.Stderr, await store.ScalarAsync<long>("SELECT Stream FROM TranscriptLines WHERE Id = $a", ("$a", (runKey << 32) | 4)));
    }

    [Fact]
    public async Task A_run_keeps_its_key_across_restarts_and_later_lines_follow_the_earlier_ones()
    {
        await using var first = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        await first.Transcripts.AppendAsync(Batch(run, 1, 100), None);
        var key = await first.ScalarAsync<long>("SELECT RunKey FROM TranscriptRuns WHERE RunId = $r", ("$r", run.ToByteArray()));

        // A console started again on the same file: nothing remembered in memory.
        await using var again = await TestStore.OpenAsync(first.Options.DatabasePath);
        var later = Guid.NewGuid();
        await again.Transcripts.AppendAsync([.. Batch(later, 1, 10), .. Batch(run, 101, 50)], None);

        Assert.Equal(key, await again.ScalarAsync<long>("SELECT RunKey FROM TranscriptRuns WHERE RunId = $r", ("$r", run.ToByteArray())));
        Assert.Equal(Batch(run, 1, 150), await again.Transcripts.ReadAsync(run, 0, 1_000, None));
        Assert.Equal(Batch(later, 1, 10), await again.Transcripts.ReadAsync(later, 0, 1_000, None));
        Assert.Equal(150, await again.Transcripts.LastSequenceAsync(run, None));
    }

    [Fact]
    public async Task A_sequence_that_does_not_fit_the_key_is_refused_and_nothing_of_its_batch_is_stored()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.Transcripts.AppendAsync([Line(run, 1), Line(run, 1L << 32)], None));
        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM TranscriptLines"));
        Assert.Equal(0L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM TranscriptRuns"));
        await store.Transcripts.AppendAsync([Line(run, 1)], None);
        Assert.Equal([Line(run, 1)], await store.Transcripts.ReadAsync(run, 0, 10, None));
    }
}

/// <summary>The million-line burst runs alone so that its lines/s figure is not shared with other tests.</summary>
[CollectionDefinition(nameof(ThroughputCollection), DisableParallelization = true)]
public sealed class ThroughputCollection;

[Collection(nameof(ThroughputCollection))]
public sealed class TranscriptBurstTests(ITestOutputHelper output)
{
    private const int Total = 1_000_000;
    private const int BatchSize = 2_000;

    [Fact]
    public async Task A_burst_of_a_million_lines_is_stored_completely()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var transcripts = store.Transcripts;

        // Batches are built before the clock starts: only the store's work is timed.
        var batches = new List<TranscriptLine[]>(Total / BatchSize);
        for (var first = 1L; first <= Total; first += BatchSize)
            batches.Add(TranscriptStoreTests.Batch(run, first, BatchSize));

        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
            await transcripts.AppendAsync(batch, CancellationToken.None);
        clock.Stop();
        var perSecond = Total / clock.Elapsed.TotalSeconds;
        output.WriteLine($"Appended {Total:N0} lines in {Total / BatchSize} batches of {BatchSize:N0} in {clock.Elapsed.TotalSeconds:F2} s: {perSecond:N0} lines/s");

        Assert.Equal(Total, await store.ScalarAsync<long>("SELECT COUNT(*) FROM TranscriptLines"));
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT MIN(Id & 4294967295) FROM TranscriptLines"));
        Assert.Equal(Total, await transcripts.LastSequenceAsync(run, CancellationToken.None));
        // Dense: the sum of 1..N proves no gap and no duplicate together with the count.
        Assert.Equal((long)Total * (Total + 1) / 2, await store.ScalarAsync<long>("SELECT SUM(Id & 4294967295) FROM TranscriptLines"));

        var random = new Random(20261122);
        long[] samples = [1, 2, BatchSize, BatchSize + 1, Total / 2, Total - 1, Total, .. Enumerable.Range(0, 50).Select(_ => (long)random.Next(1, Total + 1))];
        foreach (var sequence in samples)
        {
            var line = Assert.Single(await transcripts.ReadAsync(run, sequence - 1, 1, CancellationToken.None));
            Assert.Equal(TranscriptStoreTests.Line(run, sequence), line);
        }
    }
}
