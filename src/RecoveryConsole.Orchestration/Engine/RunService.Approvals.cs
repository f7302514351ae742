using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>Four-eyes commands: approve (bound to what runs), reject, break-glass and its review, expiry.</summary>
public sealed partial class RunService
{
    public Task ApproveAsync(Guid runId, string stepPath, Actor actor, string? reason, CancellationToken cancellationToken, string? reviewedBinding = null) =>
        RefusableAsync(actor, $"approve {stepPath}", runId, () =>
            DecideAsync(runId, stepPath, actor, ApprovalDecision.Approved, CommandText.Optional(reason, "The comment"), reviewedBinding, cancellationToken));

    public Task RejectAsync(Guid runId, string stepPath, Actor actor, string reason, CancellationToken cancellationToken) =>
        RefusableAsync(actor, $"reject {stepPath}", runId, () =>
            DecideAsync(runId, stepPath, actor, ApprovalDecision.Rejected, CommandText.Optional(reason, "The rejection reason"), null, cancellationToken));

    private async Task DecideAsync(Guid runId, string stepPath, Actor actor, ApprovalDecision decision, string? reason, string? reviewedBinding,
        CancellationToken cancellationToken)
    {
        var active = Active(runId);
        await active.Lock.WaitAsync(cancellationToken);
        try
        {
            var approval = active.Run.PendingApproval(stepPath) ?? throw new InvalidOperationException($"No approval is pending for step {stepPath}.");
            // The approver role counts on this run's cluster only; a demo account has none on a real one.
            try { ApprovalPolicy.Decide(active.Run, approval, OnRun(actor, active.Run), decision, reason, Now, reviewedBinding); }
            catch (ApprovalExpiredException) { await ExpireAsync(active, approval); throw; }
            await _env.Runs.SaveAsync(active.Run, CancellationToken.None);
            _env.Feed.Publish(RunView.From(active.Run));
        }
        finally { active.Lock.Release(); }
        await AuditAsync(actor, AuditKinds.ApprovalDecided, runId, $"{stepPath}: {decision}{(reason is { Length: > 0 } ? $" ({reason})" : "")}");
        if (active.Bookmarks.TryGetValue(stepPath, out var bookmark))
            bookmark.TrySetResult(new Bookmark(decision == ApprovalDecision.Approved, actor.UserName, reason));
    }

    /// <summary>
    /// Break-glass: when the console allows it, an operator approves a destructive step alone with a written justification.
    /// Audited as such, shown in red, and listed on the home page until a second person reviews it.
    /// </summary>
    public Task ApproveAloneAsync(Guid runId, string stepPath, Actor actor, string justification, CancellationToken cancellationToken) =>
        RefusableAsync(actor, $"approve {stepPath} alone (break-glass)", runId, async () =>
        {
            var active = Active(runId);
            Require(actor, Roles.Operator, "approve alone (break-glass)", active.Run);
            if (!_env.Options.BreakGlassEnabled) throw new ApprovalRefusedException(ApprovalPolicy.BreakGlassDisabled);
            var text = CommandText.Required(justification, "A break-glass justification", ApprovalPolicy.MinimumJustification);
            await active.Lock.WaitAsync(cancellationToken);
            try
            {
                var approval = active.Run.PendingApproval(stepPath) ?? throw new InvalidOperationException($"No approval is pending for step {stepPath}.");
                try { ApprovalPolicy.ApproveAlone(active.Run, approval, actor, text, _env.Options.BreakGlassEnabled, Now); }
                catch (ApprovalExpiredException) { await ExpireAsync(active, approval); throw; }
                await _env.Runs.SaveAsync(active.Run, CancellationToken.None);
                _env.Feed.Publish(RunView.From(active.Run));
            }
            finally { active.Lock.Release(); }
            await AuditAsync(actor, AuditKinds.ApprovalBreakGlass, runId, $"{stepPath}: BREAK-GLASS approved alone, without a second person: {text}");
            if (active.Bookmarks.TryGetValue(stepPath, out var bookmark))
                bookmark.TrySetResult(new Bookmark(true, actor.UserName, text, BreakGlass: true));
        });

    /// <summary>A second person looks at a break-glass approval afterwards; until then the home page lists it.</summary>
    public Task ReviewBreakGlassAsync(Guid runId, long approvalId, Actor actor, string note, CancellationToken cancellationToken) =>
        RefusableAsync(actor, $"review break-glass approval {approvalId}", runId, async () =>
        {
            var text = CommandText.Required(note, "A review note");
            // Under the start gate: a run that is not active cannot become active (resume) and overwrite the review.
            await _startGate.WaitAsync(cancellationToken);
            try
            {
                if (_active.TryGetValue(runId, out var active))
                {
                    await active.Lock.WaitAsync(cancellationToken);
                    try { await ReviewAsync(active.Run); }
                    finally { active.Lock.Release(); }
                }
                else await ReviewAsync(await _env.Runs.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No run {runId}."));
            }
            finally { _startGate.Release(); }
            await AuditAsync(actor, AuditKinds.BreakGlassReviewed, runId, $"approval {approvalId} reviewed: {text}");

            async Task ReviewAsync(Run run)
            {
                var approval = run.Approvals.FirstOrDefault(a => a.Id == approvalId) ?? throw new KeyNotFoundException($"Run {runId} has no approval {approvalId}.");
                ApprovalPolicy.Review(run, approval, OnRun(actor, run), Now);
                await _env.Runs.SaveAsync(run, CancellationToken.None);
                _env.Feed.Publish(RunView.From(run));
            }
        });

    /// <summary>Under the run's lock: the pending approval outlived its lifetime; the waiting step asks again.</summary>
    private async Task ExpireAsync(ActiveRun active, Approval approval)
    {
        approval.Expire(Now);
        await _env.Runs.SaveAsync(active.Run, CancellationToken.None);
        _env.Feed.Publish(RunView.From(active.Run));
        await AuditAsync(Actor.System, AuditKinds.ApprovalExpired, active.Run.Id, $"{approval.StepPath}: {approval.Reason}");
        if (active.Bookmarks.TryGetValue(approval.StepPath, out var bookmark))
            bookmark.TrySetResult(new Bookmark(false, "system", approval.Reason, Renew: true));
    }
}
