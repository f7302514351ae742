using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>
/// Producers first: a burst is told from steady output by the lines written per tick (or the writer's backlog); during it
/// a viewer's frames wait for its end, at most a hold, and then go freely for a while.
/// </summary>
public sealed class BurstGaugeTests
{
    private long _written;
    private int _queued;

    private BurstGauge Gauge() => new(() => Interlocked.Read(ref _written), () => Volatile.Read(ref _queued), sampleByItself: false);

    [Fact]
    public void Steady_output_is_no_burst_many_lines_in_one_tick_are_and_a_quiet_tick_ends_it()
    {
        using var gauge = Gauge();
        _written += BurstGauge.BurstLinesPerTick - 1;
        gauge.Sample();
        Assert.False(gauge.InBurst);
        Assert.True(gauge.Quiet.IsCompleted);

        _written += BurstGauge.BurstLinesPerTick;
        gauge.Sample();
        Assert.True(gauge.InBurst);
        var quiet = gauge.Quiet;
        Assert.False(quiet.IsCompleted);

        _written += 10;
        gauge.Sample();
        Assert.False(gauge.InBurst);
        Assert.True(quiet.IsCompletedSuccessfully);
        Assert.Equal(1, gauge.Bursts);
    }

    [Fact]
    public void A_large_commit_starts_a_burst_before_the_next_tick_and_only_a_tick_ends_it()
    {
        using var gauge = Gauge();
        gauge.Committed(BurstGauge.BurstLinesPerTick - 1);
        Assert.False(gauge.InBurst);

        gauge.Committed(BurstGauge.BurstLinesPerTick);
        Assert.True(gauge.InBurst);
        gauge.Committed(1);
        Assert.True(gauge.InBurst);

        gauge.Sample(); // no line written since the last tick
        Assert.False(gauge.InBurst);
    }

    [Fact]
    public void A_writer_far_behind_is_a_burst_even_when_nothing_new_arrives()
    {
        using var gauge = Gauge();
        _queued = BurstGauge.BurstBacklog;
        gauge.Sample();
        Assert.True(gauge.InBurst);
        _queued = 0;
        gauge.Sample();
        Assert.False(gauge.InBurst);
    }

    [Fact]
    public async Task A_viewer_outside_a_burst_is_never_held_and_during_one_waits_for_its_end()
    {
        using var gauge = Gauge();
        var pace = new ViewerPace(gauge, TimeSpan.FromMinutes(5));
        Assert.True(pace.BeforeLinesAsync(CancellationToken.None).IsCompletedSuccessfully);

        _written += 5 * BurstGauge.BurstLinesPerTick;
        gauge.Sample();
        var held = pace.BeforeLinesAsync(CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(held.IsCompleted, "a viewer sent a frame in the middle of a burst");

        gauge.Sample(); // nothing new: the burst is over
        await held.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_long_burst_holds_a_viewer_at_most_the_hold_then_lets_it_send_for_a_while()
    {
        using var gauge = Gauge();
        var pace = new ViewerPace(gauge, TimeSpan.FromMilliseconds(200));
        _written += 5 * BurstGauge.BurstLinesPerTick;
        gauge.Sample();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await pace.BeforeLinesAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(gauge.InBurst);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(190), $"released after {clock.ElapsedMilliseconds} ms, before the hold ended");
        Assert.True(pace.BeforeLinesAsync(CancellationToken.None).IsCompletedSuccessfully, "held again right after the hold ended");
    }

    [Fact]
    public async Task A_held_viewer_that_goes_away_stops_waiting()
    {
        using var gauge = Gauge();
        var pace = new ViewerPace(gauge, TimeSpan.FromMinutes(5));
        _written += 5 * BurstGauge.BurstLinesPerTick;
        gauge.Sample();
        using var gone = new CancellationTokenSource();

        var held = pace.BeforeLinesAsync(gone.Token).AsTask();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
