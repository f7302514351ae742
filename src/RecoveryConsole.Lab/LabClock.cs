namespace RecoveryConsole.Lab;

/// <summary>
/// The one place where simulated time meets real time, so sleeps and rollouts speed up together
/// and tests can substitute a fake <see cref="TimeProvider"/>.
/// </summary>
public sealed class LabClock
{
    // Task.Delay refuses more than ~49 days; longer simulated waits are done in chunks.
    private static readonly TimeSpan MaxChunk = TimeSpan.FromDays(30);

    public LabClock(TimeProvider time, double timeScale)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!double.IsFinite(timeScale) || timeScale < 0)
            throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, "Time scale must be a finite number >= 0.");
        Time = time;
        TimeScale = timeScale;
    }

    public TimeProvider Time { get; }
    public double TimeScale { get; }

    public DateTimeOffset UtcNow => Time.GetUtcNow();

    /// <summary>The real duration of <paramref name="simulated"/> under the time scale.</summary>
    public TimeSpan Scale(TimeSpan simulated)
    {
        if (simulated <= TimeSpan.Zero || TimeScale == 0) return TimeSpan.Zero;
        var ticks = simulated.Ticks * TimeScale;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Waits for <paramref name="simulated"/> time; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async Task DelayAsync(TimeSpan simulated, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var remaining = Scale(simulated);
        while (remaining > TimeSpan.Zero)
        {
            var chunk = remaining < MaxChunk ? remaining : MaxChunk;
            await Task.Delay(chunk, Time, cancellationToken).ConfigureAwait(false);
            remaining -= chunk;
        }
    }
}
