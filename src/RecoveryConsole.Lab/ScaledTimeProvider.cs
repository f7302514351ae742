namespace RecoveryConsole.Lab;

/// <summary>
/// The clock a drill's waits run on: simulated time that passes 1/scale as fast as real time, so a procedure's
/// "every 30s, at most 10m" against a lab at TimeScale 0.01 polls every 0.3 s and gives up after 6 s, exactly as the
/// lab's own durations (rollouts, shutdowns) are scaled. Timestamps of records stay on the console's real clock.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly double _scale;
    private readonly DateTimeOffset _origin;

    private ScaledTimeProvider(TimeProvider inner, double scale)
    {
        _inner = inner;
        _scale = scale;
        _origin = inner.GetUtcNow();
    }

    /// <summary>The drill clock for a lab at <paramref name="scale"/>: the inner clock itself at 1, virtual time at 0.</summary>
    public static TimeProvider For(TimeProvider inner, double scale) => scale switch
    {
        1.0 => inner,
        0.0 => new VirtualTimeProvider(inner.GetUtcNow()),
        _ => new ScaledTimeProvider(inner, scale),
    };

    public override DateTimeOffset GetUtcNow() => _origin + TimeSpan.FromTicks((long)((_inner.GetUtcNow() - _origin).Ticks / _scale));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan t) => t == Timeout.InfiniteTimeSpan || t <= TimeSpan.Zero ? t : TimeSpan.FromTicks(Math.Max(1, (long)(t.Ticks * _scale)));
}
