using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Audit.Transcript;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Audit.Tests.Transcript;

/// <summary>Search in the FTS5 trigram index and in the not-yet-indexed tail: substrings, every committed line, query syntax as text.</summary>
public sealed class TranscriptSearchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_substring_inside_a_word_is_found_in_indexed_lines_and_in_the_unindexed_tail()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var lines = TranscriptQueryTests.Lines(run, 1, 3_000);
        await store.Transcripts.AppendAsync(lines[..2_000], None);
        Assert.Equal(2_000, await Indexer(store).CatchUpAsync(None, batch: 300));
        await store.Transcripts.AppendAsync(lines[2_000..], None); // committed, not indexed yet

        var query = TranscriptQueryTests.Query(store);
        var expected = lines.Where(l => l.Text.Contains("MEMBER-IP-10-0-17.", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(expected, l => l.Sequence > 2_000);
        var hits = await query.SearchRunAsync(run, TranscriptFilter.None, "MEMBER-IP-10-0-17.", 1_000, None);
        Assert.Equal(expected, hits.Lines);
        Assert.Equal(expected.Count, hits.Total);

        // After catching up the same search answers the same, now from the index alone.
        Assert.Equal(1_000, await Indexer(store).CatchUpAsync(None));
        Assert.Equal(expected, (await query.SearchRunAsync(run, TranscriptFilter.None, "member-ip-10-0-17.", 1_000, None)).Lines);
        Assert.Equal(3_000, await store.ScalarAsync<long>("SELECT count(*) FROM TranscriptSearch WHERE TranscriptSearch MATCH '\"etcd-member\"'"));
    }

    [Fact]
    public async Task A_run_search_keeps_to_its_run_and_filter_and_takes_at_most_what_is_asked_while_counting_all()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        var lines = TranscriptQueryTests.Lines(run, 1, 1_000);
        await store.Transcripts.AppendAsync([.. lines[..500], .. TranscriptQueryTests.Lines(other, 1, 500)], None);
        await Indexer(store).CatchUpAsync(None);
        await store.Transcripts.AppendAsync([.. lines[500..], .. TranscriptQueryTests.Lines(other, 501, 500)], None);

        var filter = new TranscriptFilter("stop-etcd", TranscriptFilter.All, OutputStream.Stdout);
        var expected = lines.Where(l => filter.Matches(l) && l.Text.Contains("ip-10-0-1", StringComparison.Ordinal)).ToList();
        Assert.True(expected.Count > 3);
        var hits = await TranscriptQueryTests.Query(store).SearchRunAsync(run, filter, "ip-10-0-1", 3, None);
        Assert.Equal(expected.Take(3), hits.Lines);
        Assert.Equal(expected.Count, hits.Total);
    }

    [Theory]
    [InlineData("\"quoted\" value")]
    [InlineData("a*")]
    [InlineData("f(x) AND g")]
    [InlineData("NEAR(a b)")]
    [InlineData("100%")]
    [InlineData("a_b")]
    [InlineData("c:\\tmp")]
    [InlineData("x'y")]
    [InlineData("%")]
    [InlineData("_")]
    public async Task Query_syntax_and_wildcards_in_the_text_are_searched_as_text(string text)
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        string[] texts = ["\"quoted\" value here", "quoted value", "a* marks", "ab", "f(x) AND g(y)", "f x and g", "NEAR(a b) ok", "a near b",
            "100% done", "1000 done", "a_b c", "axb c", "c:\\tmp\\x", "c:tmp", "x'y z", "xy z", "plain"];
        var lines = texts.Select((t, i) => TranscriptQueryTests.Line(run, i + 1) with { Text = t }).ToArray();
        await store.Transcripts.AppendAsync(lines[..8], None);
        await Indexer(store).CatchUpAsync(None);
        await store.Transcripts.AppendAsync(lines[8..], None); // half indexed, half in the tail

        var expected = lines.Where(l => l.Text.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.NotEmpty(expected);
        var query = TranscriptQueryTests.Query(store);
        Assert.Equal(expected, (await query.SearchRunAsync(run, TranscriptFilter.None, text, 100, None)).Lines);
        if (TranscriptSearchText.UsesIndex(text))
            Assert.Equal(expected.AsEnumerable().Reverse(), (await query.SearchAllAsync(text, 100, None)).Lines);
    }

    [Fact]
    public async Task Searching_across_runs_lists_the_newest_hits_first_and_needs_three_characters()
    {
        await using var store = await TestStore.CreateAsync();
        var runs = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var run in runs) await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(run, 1, 200), None);
        await Indexer(store).IndexNextAsync(450, None); // runs 0, 1 and part of 2 indexed
        var query = TranscriptQueryTests.Query(store);

        var hits = await query.SearchAllAsync("10-0-42.ec2", 6, None);
        Assert.Equal(runs.AsEnumerable().Reverse().SelectMany(r => new[] { (r, 192L), (r, 142L), (r, 92L), (r, 42L) }).Take(6), hits.Lines.Select(l => (l.RunId, l.Sequence)));
        Assert.True(hits.More); // 20 in all, not counted beyond what was asked
        Assert.False((await query.SearchAllAsync("10-0-42.ec2", 20, None)).More);
        Assert.Empty((await query.SearchAllAsync("42", 10, None)).Lines);
        Assert.Empty((await query.SearchAllAsync("   ", 10, None)).Lines);
        // Two characters within one run are still searched (LIKE over that run).
        Assert.Equal(TranscriptQueryTests.Lines(runs[0], 1, 200).Where(l => l.Text.Contains("42", StringComparison.Ordinal)),
            (await query.SearchRunAsync(runs[0], TranscriptFilter.None, "42", 100, None)).Lines);
    }

    [Fact]
    public async Task The_indexer_catches_up_by_batches_and_never_indexes_a_row_twice()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(run, 1, 1_050), None);
        var indexer = Indexer(store);
        Assert.Equal(500, await indexer.IndexNextAsync(500, None));
        Assert.Equal(550, await indexer.CatchUpAsync(None, batch: 500));
        Assert.Equal(0, await indexer.IndexNextAsync(500, None));
        await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(run, 1_051, 7), None);
        Assert.Equal(7, await indexer.CatchUpAsync(None));
        // Every row once: the index's own count of rows (integrity-check would fail on duplicates too).
        await store.ExecuteAsync("INSERT INTO TranscriptSearch(TranscriptSearch) VALUES ('integrity-check')");
        Assert.Equal(1_057, await store.ScalarAsync<long>("SELECT IndexedUpTo FROM TranscriptRuns"));
        Assert.Equal(1_057, await store.ScalarAsync<long>("SELECT count(*) FROM TranscriptSearch WHERE TranscriptSearch MATCH '\"etcd-member\"'"));
    }

    [Fact]
    public async Task Lines_an_earlier_run_commits_after_a_later_run_was_indexed_are_searched_and_then_indexed()
    {
        // A run's lines sort below those of any run that began after it, so "everything up to the highest key indexed"
        // would count them as indexed; each run's own watermark does not.
        await using var store = await TestStore.CreateAsync();
        var earlier = Guid.NewGuid();
        var later = Guid.NewGuid();
        await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(earlier, 1, 100), None);
        await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(later, 1, 100), None);
        var indexer = Indexer(store);
        Assert.Equal(200, await indexer.CatchUpAsync(None));
        await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(earlier, 101, 100), None);

        var query = TranscriptQueryTests.Query(store);
        const string text = "10-0-42.ec2";
        (Guid, long)[] inRun = [(earlier, 42), (earlier, 92), (earlier, 142), (earlier, 192)]; // 142, 192: not indexed yet
        (Guid, long)[] acrossRuns = [(later, 92), (later, 42), (earlier, 192), (earlier, 142), (earlier, 92), (earlier, 42)];
        Assert.Equal(inRun, (await query.SearchRunAsync(earlier, TranscriptFilter.None, text, 100, None)).Lines.Select(l => (l.RunId, l.Sequence)));
        Assert.Equal(acrossRuns, (await query.SearchAllAsync(text, 100, None)).Lines.Select(l => (l.RunId, l.Sequence)));

        Assert.Equal(100, await indexer.CatchUpAsync(None));
        Assert.Equal(inRun, (await query.SearchRunAsync(earlier, TranscriptFilter.None, text, 100, None)).Lines.Select(l => (l.RunId, l.Sequence)));
        Assert.Equal(acrossRuns, (await query.SearchAllAsync(text, 100, None)).Lines.Select(l => (l.RunId, l.Sequence)));
        Assert.Equal(6, await store.ScalarAsync<long>("SELECT count(*) FROM TranscriptSearch WHERE TranscriptSearch MATCH $p",
            ("$p", TranscriptSearchText.FtsPhrase(text))));
        Assert.Equal(200, await store.ScalarAsync<long>("SELECT IndexedUpTo FROM TranscriptRuns WHERE RunId = $r", ("$r", earlier.ToByteArray())));
    }

    [Fact]
    public async Task A_vacuum_keeps_every_line_where_the_index_points()
    {
        await using var store = await TestStore.CreateAsync();
        var runs = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var run in runs) await store.Transcripts.AppendAsync(TranscriptQueryTests.Lines(run, 1, 300), None);
        await Indexer(store).CatchUpAsync(None);
        // Rows gone from the middle of the table (no code path deletes lines; VACUUM renumbers implicit rowids after it).
        await store.ExecuteAsync("DELETE FROM TranscriptSearch WHERE rowid IN (SELECT Id FROM TranscriptLines WHERE Id >> 32 = 1)");
        await store.ExecuteAsync("DELETE FROM TranscriptLines WHERE Id >> 32 = 1");
        await store.ExecuteAsync("VACUUM");

        await store.ExecuteAsync("INSERT INTO TranscriptSearch(TranscriptSearch) VALUES ('integrity-check')");
        var expected = TranscriptQueryTests.Lines(runs[2], 1, 300).Where(l => l.Text.Contains("10-0-42.ec2", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, (await TranscriptQueryTests.Query(store).SearchRunAsync(runs[2], TranscriptFilter.None, "10-0-42.ec2", 100, None)).Lines);
    }

    private static TranscriptSearchIndexer Indexer(TestStore store) =>
        (TranscriptSearchIndexer)store.Services.GetService(typeof(TranscriptSearchIndexer))!;
}
