namespace RecoveryConsole.Orchestration.Runs;

public enum ApprovalDecision { Pending, Approved, Rejected, Withdrawn }

/// <summary>A second person's sign-off for a destructive step. Rules live in <see cref="Approvals.ApprovalPolicy"/>.</summary>
public sealed class Approval
{
    private Approval() { } // EF Core

    internal Approval(Guid runId, string stepPath, string stepTitle, string requestedBy, DateTimeOffset now)
    {
        RunId = runId;
        StepPath = stepPath;
        StepTitle = stepTitle;
        RequestedBy = requestedBy;
        RequestedAt = now;
        Decision = ApprovalDecision.Pending;
    }

    public long Id { get; private set; }
    public Guid RunId { get; private set; }
    public string StepPath { get; private set; } = "";
    public string StepTitle { get; private set; } = "";
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public ApprovalDecision Decision { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? Reason { get; private set; }
    /// <summary>Set when the approved step started: an approval covers one execution, not a later resume.</summary>
    public bool Consumed { get; private set; }

    internal void Decide(ApprovalDecision decision, string user, string? reason, DateTimeOffset now)
    {
        if (Decision != ApprovalDecision.Pending)
            throw new InvalidTransitionException($"Approval for {StepPath} was already {Decision}.");
        Decision = decision;
        DecidedBy = user;
        Reason = reason;
        DecidedAt = now;
    }

    public void Consume()
    {
        if (Decision != ApprovalDecision.Approved) throw new InvalidTransitionException($"Approval for {StepPath} is {Decision}, not approved.");
        Consumed = true;
    }

    internal void Withdraw(DateTimeOffset now, string reason)
    {
        if (Decision != ApprovalDecision.Pending) return;
        Decision = ApprovalDecision.Withdrawn;
        DecidedAt = now;
        Reason = reason;
    }
}
