namespace RecoveryConsole.Orchestration.Runs;

/// <summary>
/// Pending until decided; Expired when its lifetime ran out before anyone approved; Void when, as the step started, what it
/// would run differed from what was approved (or the approval had expired by then). Expired and void ones are asked again.
/// </summary>
public enum ApprovalDecision { Pending, Approved, Rejected, Withdrawn, Expired, Void }

/// <summary>What an approval is asked for: who drove the run to the step, until when it holds, and exactly what it covers.</summary>
public sealed record ApprovalTerms(string RequestedBy, DateTimeOffset? ExpiresAt, string? BindingHash, string? BindingText);

/// <summary>A second person's sign-off for a destructive step. Rules live in <see cref="Approvals.ApprovalPolicy"/>.</summary>
public sealed class Approval
{
    private Approval() { } // EF Core

    internal Approval(Guid runId, string stepPath, string stepTitle, ApprovalTerms terms, DateTimeOffset now)
    {
        RunId = runId;
        StepPath = stepPath;
        StepTitle = stepTitle;
        RequestedBy = terms.RequestedBy;
        RequestedAt = now;
        ExpiresAt = terms.ExpiresAt;
        BindingHash = terms.BindingHash;
        BindingText = terms.BindingText;
        Decision = ApprovalDecision.Pending;
    }

    public long Id { get; private set; }
    public Guid RunId { get; private set; }
    public string StepPath { get; private set; } = "";
    public string StepTitle { get; private set; } = "";
    /// <summary>The operator who drove the run to this step (its starter, or whoever resumed it or confirmed the last step).</summary>
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    /// <summary>After this instant the approval can no longer be given, nor used by the step.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }
    /// <summary>SHA-256 of <see cref="BindingText"/>: what the step will run, recomputed and compared when it starts.</summary>
    public string? BindingHash { get; private set; }
    /// <summary>What the approver approves: rendered commands and API calls per host, the cluster, the values used (secrets redacted).</summary>
    public string? BindingText { get; private set; }
    public ApprovalDecision Decision { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    /// <summary>The approver's comment, the rejection reason, the break-glass justification, or why it lapsed.</summary>
    public string? Reason { get; private set; }
    /// <summary>Set when the approved step started: an approval covers one execution, not a later resume.</summary>
    public bool Consumed { get; private set; }
    /// <summary>Approved alone by an operator of the run (break-glass): listed until a second person reviews it.</summary>
    public bool BreakGlass { get; private set; }
    public string? ReviewedBy { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && now >= at;

    public bool AwaitsReview => BreakGlass && ReviewedBy is null;

    internal void Decide(ApprovalDecision decision, string user, string? reason, DateTimeOffset now, bool breakGlass = false)
    {
        if (Decision != ApprovalDecision.Pending)
            throw new InvalidTransitionException($"Approval for {StepPath} was already {Decision}.");
        Decision = decision;
        DecidedBy = user;
        Reason = reason;
        DecidedAt = now;
        BreakGlass = breakGlass;
    }

    public void Consume()
    {
        if (Decision != ApprovalDecision.Approved) throw new InvalidTransitionException($"Approval for {StepPath} is {Decision}, not approved.");
        Consumed = true;
    }

    internal void Withdraw(DateTimeOffset now, string reason) => Lapse(ApprovalDecision.Withdrawn, now, reason);

    /// <summary>Its lifetime ran out while pending: it can no longer be approved, the step asks again.</summary>
    internal void Expire(DateTimeOffset now) => Lapse(ApprovalDecision.Expired, now, $"Expired at {ExpiresAt:yyyy-MM-dd HH:mm:ss} UTC before anyone approved it.");

    /// <summary>An approval that no longer holds when the step starts (expired, or the step would run something else).</summary>
    internal void MakeVoid(DateTimeOffset now, string reason)
    {
        if (Decision is not (ApprovalDecision.Approved or ApprovalDecision.Pending) || Consumed) return;
        Decision = ApprovalDecision.Void;
        Reason = Reason is { Length: > 0 } given ? $"{given} — void: {reason}" : $"void: {reason}";
    }

    internal void MarkReviewed(string reviewer, DateTimeOffset now)
    {
        if (!AwaitsReview) throw new InvalidTransitionException($"Approval {Id} is not a break-glass approval awaiting review.");
        ReviewedBy = reviewer;
        ReviewedAt = now;
    }

    private void Lapse(ApprovalDecision decision, DateTimeOffset now, string reason)
    {
        if (Decision != ApprovalDecision.Pending) return;
        Decision = decision;
        DecidedAt = now;
        Reason = reason;
    }
}
