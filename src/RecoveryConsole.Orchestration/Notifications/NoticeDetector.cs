using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Notifications;

/// <summary>
/// From the stream of run snapshots to the notices worth sending, each once: an approval request when it is first seen
/// pending, a failure once per end (a resumed run that fails again is a new failure). Snapshots are whole, so a missed
/// intermediate one loses nothing that is still true.
/// </summary>
public sealed class NoticeDetector(Redactor redactor, string? consoleUrl)
{
    private readonly Dictionary<Guid, Seen> _runs = [];

    private sealed class Seen
    {
        public readonly HashSet<long> Approvals = [];
        public DateTimeOffset? FailedAt;
    }

    public IReadOnlyList<RunNotice> Notices(RunView run)
    {
        if (!_runs.TryGetValue(run.Id, out var seen)) _runs[run.Id] = seen = new Seen();
        var notices = new List<RunNotice>();
        foreach (var approval in run.Approvals.Where(a => a.Decision == ApprovalDecision.Pending && seen.Approvals.Add(a.Id)))
            notices.Add(Notice(run, $"approval-{approval.Id}", RunNotice.ApprovalNeeded,
                $"Approval needed: \"{approval.StepTitle}\" of {run.ProcedureTitle} on {run.ClusterName}, requested by {approval.RequestedBy}.",
                approval.StepPath, approval.StepTitle, approval.RequestedBy, reason: null, approval.RequestedAt));
        if (run.Status == RunStatus.Failed && run.EndedAt is { } ended && seen.FailedAt != ended)
        {
            seen.FailedAt = ended;
            var step = run.Steps.LastOrDefault(s => s.Status == StepStatus.Failed && s.Host == "");
            notices.Add(Notice(run, $"failed-{ended.ToUnixTimeMilliseconds()}", RunNotice.RunFailed,
                $"Run failed: {run.ProcedureTitle} on {run.ClusterName}" + (step is null ? "." : $" at \"{step.Title}\"."),
                step?.StepPath, step?.Title, requestedBy: null, run.StatusReason, ended));
        }
        // Runs that ended well need nothing more; a failed one is kept (tiny) so that a repeat of its snapshot is not news.
        if (run.Status is RunStatus.Succeeded or RunStatus.Cancelled) _runs.Remove(run.Id);
        return notices;
    }

    private RunNotice Notice(RunView run, string id, string kind, string text, string? step, string? stepTitle,
        string? requestedBy, string? reason, DateTimeOffset at) => new(
        $"{run.Id:N}-{id}", kind, redactor.Redact(text), run.Id, run.ProcedureId, redactor.Redact(run.ProcedureTitle), run.ClusterName,
        run.IsDrill, run.Status.ToString(), step, stepTitle is null ? null : redactor.Redact(stepTitle), requestedBy,
        reason is null ? null : redactor.Redact(reason), at,
        string.IsNullOrWhiteSpace(consoleUrl) ? null : $"{consoleUrl.TrimEnd('/')}/runs/{run.Id}");
}
