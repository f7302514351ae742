using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Tests.Runs;

public sealed class TranscriptLandingTests
{
    private static readonly Guid Run = Guid.NewGuid();

    private static List<TranscriptLine> Rows(int first, int count) =>
        Enumerable.Range(first, count).Select(i => new TranscriptLine(Run, i + 1, "step", "", OutputStream.Stdout, DateTimeOffset.UnixEpoch, $"line {i + 1}")).ToList();

    [Fact]
    public void The_rows_around_a_target_reach_both_ways_and_stop_at_the_first_row()
    {
        Assert.Equal((10_000 - TranscriptLanding.Reach, 2 * TranscriptLanding.Reach + 1), (TranscriptLanding.FirstRow(10_000), TranscriptLanding.Rows(10_000)));
        Assert.Equal((0, 10 + TranscriptLanding.Reach + 1), (TranscriptLanding.FirstRow(10), TranscriptLanding.Rows(10)));
    }

    [Fact]
    public void Rows_read_for_a_jump_are_handed_over_only_when_they_cover_the_request_under_the_same_filter()
    {
        var landing = new TranscriptLanding();
        Assert.Null(landing.Take(TranscriptFilter.None, 0, 10)); // nothing read yet

        var first = TranscriptLanding.FirstRow(5_000);
        landing.Hold(TranscriptFilter.None, first, Rows(first, TranscriptLanding.Rows(5_000)));

        // What Virtualize asks for once the scroll lands: the rows in view and its overscan, all read already.
        var landed = landing.Take(TranscriptFilter.None, 4_950, 110);
        Assert.NotNull(landed);
        Assert.Equal(Enumerable.Range(4_951, 110).Select(i => (long)i), landed.Select(l => l.Sequence));

        Assert.Null(landing.Take(TranscriptFilter.None, first - 1, 10)); // starts before the rows read
        Assert.Null(landing.Take(TranscriptFilter.None, 5_100, 100)); // ends after them
        Assert.Null(landing.Take(new TranscriptFilter(Stream: OutputStream.Stderr), 4_950, 110)); // the same rows of another view are other lines
        Assert.Null(landing.Take(TranscriptFilter.None, 4_950, 0));
    }

    [Fact]
    public void A_landing_near_the_end_covers_the_rows_that_exist_and_a_new_jump_replaces_it()
    {
        var landing = new TranscriptLanding();
        var first = TranscriptLanding.FirstRow(990);
        landing.Hold(TranscriptFilter.None, first, Rows(first, 1_000 - first)); // the transcript ends at row 999
        Assert.Equal(1_000L, landing.Take(TranscriptFilter.None, 950, 50)!.Last().Sequence);
        Assert.Null(landing.Take(TranscriptFilter.None, 950, 60)); // rows added since are read from the store

        landing.Hold(TranscriptFilter.None, 0, Rows(0, 200));
        Assert.Null(landing.Take(TranscriptFilter.None, 950, 50));
        Assert.Equal(1L, landing.Take(TranscriptFilter.None, 0, 1)!.Single().Sequence);
    }
}
