using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Tests.Runs;

public sealed class TranscriptWindowTests
{
    [Fact]
    public void A_transcript_within_the_window_is_shown_whole_and_a_longer_one_keeps_the_tail_while_followed()
    {
        var window = new TranscriptWindow(1_000);
        window.Grow(800, followingTail: true);
        Assert.Equal((0, 800, false), (window.Start, window.Shown, window.IsPartial));

        // Past the window while the reader follows: the tail stays in, moved a quarter window at a time.
        Assert.True(window.Grow(1_200, followingTail: true));
        Assert.Equal((450, 750), (window.Start, window.Shown));
        Assert.False(window.Grow(1_300, followingTail: true)); // still fits: the rows under the reader do not move
        Assert.Equal((450, 850), (window.Start, window.Shown));
        Assert.True(window.IsPartial);
        Assert.True(window.HasEarlier);
        Assert.False(window.HasLater);
    }

    [Fact]
    public void A_reader_looking_elsewhere_keeps_their_rows_and_a_jump_centres_a_line_outside_the_window()
    {
        var window = new TranscriptWindow(1_000);
        window.Reset(5_000);
        Assert.Equal(4_000, window.Start);

        Assert.False(window.Grow(9_000, followingTail: false));
        Assert.Equal((4_000, 1_000, true), (window.Start, window.Shown, window.HasLater));

        Assert.Equal(100, window.Show(4_100)); // already in: nothing moves
        Assert.Equal(4_000, window.Start);
        Assert.Equal(500, window.Show(2_600)); // far before: centred
        Assert.Equal(2_100, window.Start);
        Assert.Equal(123, window.Show(123)); // near the start: the window starts at the first row
        Assert.Equal(0, window.Start);
        Assert.Equal(999, window.Show(8_999)); // near the end: the window ends at the last row
        Assert.Equal(8_000, window.Start);
        window.Earlier();
        Assert.Equal(7_500, window.Start);
        window.Later();
        window.Later();
        Assert.Equal((8_000, false), (window.Start, window.HasLater));
    }
}
