using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Audit.Tests.Transcript;

/// <summary>Server paging of a stored transcript: counts, windows and row indexes under every kind of filter, checked against the lines themselves.</summary>
public sealed class TranscriptQueryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Paths as a run stores them: a step, its per-host instances and children, a sibling whose name starts alike,
    // preflight checks, names with LIKE wildcards, and run-level lines.
    internal static readonly string[] Paths =
        ["", "preflight", "preflight-2", "stop-etcd", "stop-etcd[master-1]/move", "stop-etcd[master-2]/move", "stop-etcd/check",
         "stop-etcd-elsewhere", "restore_etcd", "restore%etcd", "restore_etcd[master-1]"];
    internal static readonly string[] Hosts = ["", "master-1", "master-2", "master-3"];

    internal static TranscriptLine Line(Guid runId, long sequence) => new(
        runId, sequence, Paths[sequence % Paths.Length], Hosts[sequence * 7 % Hosts.Length], (OutputStream)(sequence * 5 % 3),
        TranscriptStoreTests.Start.AddTicks(sequence), $"line {sequence}: etcd-member-ip-10-0-{sequence % 50}.ec2.internal ok");

    internal static TranscriptLine[] Lines(Guid runId, long first, int count) =>
        Enumerable.Range(0, count).Select(i => Line(runId, first + i)).ToArray();

    public static TheoryData<string, string, OutputStream?> Filters => new()
    {
        { TranscriptFilter.All, TranscriptFilter.All, null },
        { "stop-etcd", TranscriptFilter.All, null },
        { "stop-etcd", "master-1", null },
        { "restore_etcd", TranscriptFilter.All, OutputStream.Stderr },
        { TranscriptFilter.PreflightPath, TranscriptFilter.All, null },
        { TranscriptFilter.ClusterLevel, TranscriptFilter.All, null },
        { TranscriptFilter.All, TranscriptFilter.ClusterLevel, OutputStream.System },
        { TranscriptFilter.All, "master-3", OutputStream.Stdout },
        { "no-such-step", TranscriptFilter.All, null },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Count_pages_and_row_indexes_are_those_of_the_filtered_lines(string step, string host, OutputStream? stream)
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        var lines = Lines(run, 1, 2_000);
        for (var i = 0; i < lines.Length; i += 250)
            await store.Transcripts.AppendAsync([.. lines.Skip(i).Take(250), .. Lines(other, i + 1, 50)], None);
        var query = Query(store);
        var filter = new TranscriptFilter(step, host, stream);
        var expected = lines.Where(filter.Matches).ToList();

        var count = await query.CountAsync(run, filter, None);
        Assert.Equal(expected.Count, count.Lines);
        Assert.Equal(2_000, count.UpToSequence);

        var paged = new List<TranscriptLine>();
        for (var skip = 0; skip < count.Lines + 97; skip += 97)
            paged.AddRange(await query.PageAsync(run, filter, skip, 97, None));
        Assert.Equal(expected, paged);

        foreach (var sequence in new long[] { 1, 2, 3, 11, 500, 1_234, 1_999, 2_000, 2_001 })
        {
            var at = expected.FindIndex(l => l.Sequence == sequence);
            Assert.Equal(at < 0 ? null : at, await query.IndexOfAsync(run, filter, sequence, None));
        }
    }

    [Fact]
    public void A_step_covers_its_instances_and_children_but_not_a_step_whose_name_starts_alike()
    {
        var under = Paths.Where(p => TranscriptFilter.IsUnder(p, "stop-etcd")).ToList();
        Assert.Equal(["stop-etcd", "stop-etcd[master-1]/move", "stop-etcd[master-2]/move", "stop-etcd/check"], under);
        Assert.Equal(["restore_etcd", "restore_etcd[master-1]"], Paths.Where(p => TranscriptFilter.IsUnder(p, "restore_etcd")));
        Assert.Equal(["preflight", "preflight-2"], Paths.Where(p => TranscriptFilter.IsUnder(p, TranscriptFilter.PreflightPath)));
    }

    [Fact]
    public async Task Hosts_are_those_that_printed_in_the_run()
    {
        await using var store = await TestStore.CreateAsync();
        var run = Guid.NewGuid();
        await store.Transcripts.AppendAsync(Lines(run, 1, 3), None); // hosts of 1..3: master-3, master-2, master-1
        await store.Transcripts.AppendAsync([Line(Guid.NewGuid(), 4) with { Host = "elsewhere" }], None);
        Assert.Equal(["master-1", "master-2", "master-3"], await Query(store).HostsAsync(run, None));
        Assert.Empty(await Query(store).HostsAsync(Guid.NewGuid(), None));
    }

    [Fact]
    public async Task An_empty_run_has_no_lines_and_no_page()
    {
        await using var store = await TestStore.CreateAsync();
        var query = Query(store);
        Assert.Equal(new TranscriptCount(0, 0), await query.CountAsync(Guid.NewGuid(), TranscriptFilter.None, None));
        Assert.Empty(await query.PageAsync(Guid.NewGuid(), TranscriptFilter.None, 0, 50, None));
        Assert.Null(await query.IndexOfAsync(Guid.NewGuid(), TranscriptFilter.None, 1, None));
    }

    internal static ITranscriptQuery Query(TestStore store) =>
        (ITranscriptQuery)store.Services.GetService(typeof(ITranscriptQuery))!;
}
