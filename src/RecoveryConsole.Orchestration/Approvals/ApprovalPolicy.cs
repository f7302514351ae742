using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Approvals;

/// <summary>
/// Four-eyes: a destructive step runs only after a different account with the approver role signs off. "Different"
/// means not anyone who drove the run (started, resumed, confirmed a manual step, answered a question), and the
/// approval must still be valid and be for what the approver saw. The server checks this on every path (hub, pages,
/// endpoints) by going through these methods; break-glass is the one audited exception, reviewed afterwards.
/// </summary>
public static class ApprovalPolicy
{
    /// <summary>Shortest break-glass justification: a sentence someone can judge the next morning.</summary>
    public const int MinimumJustification = 20;

    public const string BreakGlassDisabled = "Break-glass is disabled on this console: an approver other than the people who drove the run must approve. " +
                                             "An admin can enable it (setting Console:FourEyes:BreakGlass).";

    public static void Decide(Run run, Approval approval, Actor approver, ApprovalDecision decision, string? reason, DateTimeOffset now,
        string? reviewedBinding = null)
    {
        if (decision is not (ApprovalDecision.Approved or ApprovalDecision.Rejected))
            throw new ArgumentOutOfRangeException(nameof(decision));
        if (!approver.IsInRole(Roles.Approver))
            throw new ApprovalRefusedException($"{approver.UserName} does not have the approver role.");
        RefuseActors(run, approver.UserName, "approve");
        if (decision == ApprovalDecision.Rejected && string.IsNullOrWhiteSpace(reason))
            throw new ApprovalRefusedException("A rejection needs a reason.");
        RefuseLapsed(approval, now);
        if (decision == ApprovalDecision.Approved && reviewedBinding is not null && reviewedBinding != approval.BindingHash)
            throw new ApprovalRefusedException($"What step {approval.StepPath} will run is not what you reviewed: look at it again before approving.");
        approval.Decide(decision, approver.UserName, reason, now);
    }

    /// <summary>
    /// Break-glass: an operator approves alone, when the console allows it, with a written justification. The approval is
    /// marked so that the run page shows it in red and the home page lists it until a second person reviews it.
    /// </summary>
    public static void ApproveAlone(Run run, Approval approval, Actor actor, string justification, bool allowed, DateTimeOffset now)
    {
        if (!allowed)
            throw new ApprovalRefusedException(BreakGlassDisabled);
        if (!actor.IsInRole(Roles.Operator) && !actor.IsInRole(Roles.Admin))
            throw new ApprovalRefusedException($"{actor.UserName} may not approve alone: the operator role is needed.");
        if (justification.Length < MinimumJustification)
            throw new ApprovalRefusedException($"Break-glass needs a written justification of at least {MinimumJustification} characters: why this cannot wait for a second person.");
        RefuseLapsed(approval, now);
        approval.Decide(ApprovalDecision.Approved, actor.UserName, justification, now, breakGlass: true);
    }

    /// <summary>The second look at a break-glass approval, by an approver who did not drive the run.</summary>
    public static void Review(Run run, Approval approval, Actor reviewer, DateTimeOffset now)
    {
        if (!approval.AwaitsReview)
            throw new ApprovalRefusedException($"Approval {approval.Id} is not a break-glass approval awaiting review.");
        if (!reviewer.IsInRole(Roles.Approver))
            throw new ApprovalRefusedException($"{reviewer.UserName} does not have the approver role.");
        if (string.Equals(reviewer.UserName, approval.DecidedBy, StringComparison.OrdinalIgnoreCase))
            throw new ApprovalRefusedException($"{reviewer.UserName} approved this step alone and cannot review it: a second person must.");
        RefuseActors(run, reviewer.UserName, "review its break-glass approvals");
        approval.MarkReviewed(reviewer.UserName, now);
    }

    private static void RefuseActors(Run run, string userName, string what)
    {
        if (string.Equals(userName, run.StartedBy, StringComparison.OrdinalIgnoreCase))
            throw new ApprovalRefusedException($"{userName} started this run and cannot {what}: a second person must.");
        if (run.IsActor(userName))
            throw new ApprovalRefusedException($"{userName} drove this run (resumed it, confirmed a manual step or answered a question) and cannot {what}: a second person must.");
    }

    private static void RefuseLapsed(Approval approval, DateTimeOffset now)
    {
        if (approval.Decision == ApprovalDecision.Pending && approval.IsExpired(now))
            throw new ApprovalExpiredException($"The approval request for {approval.StepPath} expired at {approval.ExpiresAt:HH:mm:ss} UTC; it was asked again: review the new request.");
    }
}

public class ApprovalRefusedException(string message) : Exception(message);

/// <summary>A pending approval outlived its lifetime: refused, and the step asks again.</summary>
public sealed class ApprovalExpiredException(string message) : ApprovalRefusedException(message);
