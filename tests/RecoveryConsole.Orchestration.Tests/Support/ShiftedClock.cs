namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>The real clock moved forward on demand: what the console's time reads, while timers stay real.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _shiftTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _shiftTicks));
}
