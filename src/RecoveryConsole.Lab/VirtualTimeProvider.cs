namespace RecoveryConsole.Lab;

/// <summary>
/// Virtual time for drills and tests: a timer or delay moves the clock forward by its due time at once and fires, so a simulated
/// two-minute wait in a script costs nothing and every run of a test sees the same times. Tests may also move it.
/// </summary>
public sealed class VirtualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _now = start;

    public VirtualTimeProvider() : this(new DateTimeOffset(2024, 9, 1, 8, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now += by;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new VirtualTimer(this, callback, state, dueTime);

    private sealed class VirtualTimer : ITimer
    {
        private readonly VirtualTimeProvider _owner;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private int _generation;

        public VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state, TimeSpan dueTime)
        {
            _owner = owner;
            _callback = callback;
            _state = state;
            Change(dueTime, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var generation = Interlocked.Increment(ref _generation);
            if (dueTime == Timeout.InfiniteTimeSpan) return true;
            if (dueTime > TimeSpan.Zero) _owner.Advance(dueTime);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (Volatile.Read(ref _generation) == generation) _callback(_state);
            });
            return true;
        }

        public void Dispose() => Interlocked.Increment(ref _generation);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
