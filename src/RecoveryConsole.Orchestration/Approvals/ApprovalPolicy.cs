using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Approvals;

/// <summary>
/// Four-eyes: a destructive step runs only after a different account with the approver role signs off.
/// The server checks this on every path (hub, pages, endpoints) by going through <see cref="Decide"/>.
/// </summary>
public static class ApprovalPolicy
{
    public static void Decide(Run run, Approval approval, Actor approver, ApprovalDecision decision, string? reason, DateTimeOffset now)
    {
        if (decision is not (ApprovalDecision.Approved or ApprovalDecision.Rejected))
            throw new ArgumentOutOfRangeException(nameof(decision));
        if (!approver.IsInRole(Roles.Approver))
            throw new ApprovalRefusedException($"{approver.UserName} does not have the approver role.");
        if (string.Equals(approver.UserName, run.StartedBy, StringComparison.OrdinalIgnoreCase))
            throw new ApprovalRefusedException($"{approver.UserName} started this run and cannot approve its destructive steps: a second person must.");
        if (decision == ApprovalDecision.Rejected && string.IsNullOrWhiteSpace(reason))
            throw new ApprovalRefusedException("A rejection needs a reason.");
        approval.Decide(decision, approver.UserName, reason, now);
    }
}

public sealed class ApprovalRefusedException(string message) : Exception(message);
