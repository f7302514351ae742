namespace RecoveryConsole.Orchestration.Runs;

public sealed record RunQuery
{
    public string? Cluster { get; init; }
    public string? Procedure { get; init; }
    public string? User { get; init; }
    public RunStatus? Status { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    /// <summary>Free text matched against procedure title, cluster and user.</summary>
    public string? Text { get; init; }
    /// <summary>Only runs with a break-glass approval no second person has reviewed yet (the home page's list).</summary>
    public bool AwaitingBreakGlassReview { get; init; }
    /// <summary>Only the runs started as retries of this run.</summary>
    public Guid? RetryOf { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 100;
}

/// <summary>Runs with their step executions and approvals. Save writes the whole aggregate.</summary>
public interface IRunRepository
{
    Task AddAsync(Run run, CancellationToken cancellationToken);
    Task SaveAsync(Run run, CancellationToken cancellationToken);
    Task<Run?> GetAsync(Guid id, CancellationToken cancellationToken);
    Task<IReadOnlyList<Run>> ListAsync(RunQuery query, CancellationToken cancellationToken);
    /// <summary>Runs whose status is not final and not Interrupted: at start-up they were cut off.</summary>
    Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken);
}
