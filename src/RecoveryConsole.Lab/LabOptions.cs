namespace RecoveryConsole.Lab;

/// <summary>Settings of the simulated clusters.</summary>
public sealed class LabOptions
{
    /// <summary>
    /// Multiplier applied to every simulated duration (sleep, rollout steps): 1 = real time,
    /// 0.01 = a hundred times faster (tests, quick demos), 0 = instantaneous.
    /// </summary>
    public double TimeScale { get; set; } = 1.0;

    /// <summary>
    /// Simulated time one node takes to move to a new static-pod revision. Real installers take minutes;
    /// the default keeps a demo rollout visible without making the operator wait.
    /// </summary>
    public TimeSpan RolloutStepDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Every simulated product (OCP 4.x, 4.2/4.3, 3.11, hosted control planes) rather than the OCP 4.x demo cluster only.
    /// The console turns it on; tests that need one cluster leave it off.
    /// </summary>
    public bool WholeEstate { get; set; }

    internal void Validate()
    {
        if (!double.IsFinite(TimeScale) || TimeScale < 0)
            throw new ArgumentOutOfRangeException(nameof(TimeScale), TimeScale, "TimeScale must be a finite number >= 0.");
        if (RolloutStepDelay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RolloutStepDelay), RolloutStepDelay, "RolloutStepDelay must not be negative.");
    }
}
