using System.Text.Json;

namespace RecoveryConsole.Orchestration.Runs;

/// <summary>An immutable snapshot of a run for viewers (pages and hub clients); taken under the run's lock.</summary>
public sealed record RunView(
    Guid Id,
    string ProcedureId,
    string ProcedureTitle,
    string ProcedureVersionHash,
    string ClusterName,
    bool IsDrill,
    string StartedBy,
    RunStatus Status,
    string? StatusReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<StepView> Steps,
    IReadOnlyList<ApprovalView> Approvals,
    string? TranscriptDigest,
    long TranscriptLineCount,
    IReadOnlyList<string>? Actors = null,
    IReadOnlyList<KeyValuePair<string, string>>? ClusterRoles = null,
    Guid? PreviousRunId = null)
{
    public static RunView From(Run run) => new(
        run.Id, run.ProcedureId, run.ProcedureTitle, run.ProcedureVersionHash, run.ClusterName, run.IsDrill,
        run.StartedBy, run.Status, run.StatusReason, run.CreatedAt, run.StartedAt, run.EndedAt,
        JsonSerializer.Deserialize<Dictionary<string, string>>(run.ParametersJson) ?? [],
        run.Steps.OrderBy(s => s.Order).Select(StepView.From).ToList(),
        run.Approvals.Select(ApprovalView.From).ToList(),
        run.TranscriptDigest, run.TranscriptLineCount, run.Actors, run.ClusterRoles, run.PreviousRunId);

    /// <summary>Everyone who drove the run (started, resumed, confirmed, answered): none of them may approve it.</summary>
    public bool IsActor(string? userName) =>
        userName is not null && (Actors ?? [StartedBy]).Contains(userName, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every cluster of the run, the main one first (as <see cref="Run.ClusterNames"/>).</summary>
    public IReadOnlyList<string> ClusterNames => (ClusterRoles ?? []).Select(r => r.Value).Prepend(ClusterName).Distinct(StringComparer.Ordinal).ToList();

    public TimeSpan? Elapsed(DateTimeOffset now) => StartedAt is null ? null : (EndedAt ?? now) - StartedAt.Value;

    /// <summary>The step summary (host "") of an instance path, if it ran.</summary>
    public StepView? Step(string instancePath) => Steps.LastOrDefault(s => s.StepPath == instancePath && s.Host == "");

    public ApprovalView? PendingApproval => Approvals.LastOrDefault(a => a.Decision == ApprovalDecision.Pending);

    public StepView? WaitingForOperator => Steps.LastOrDefault(s => s.Status == StepStatus.WaitingForOperator);
}

/// <summary>One step record as viewers see it; InputRequestJson and OutputsJson as on <see cref="StepExecution"/>.</summary>
public sealed record StepView(
    string StepPath, string Host, string Title, StepStatus Status, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    int Attempts, string? Command, int? ExitCode, string? Message, string? Note, string? ConfirmedBy,
    string? InputRequestJson = null, string? OutputsJson = null)
{
    public static StepView From(StepExecution s) => new(
        s.StepPath, s.Host, s.Title, s.Status, s.StartedAt, s.EndedAt, s.Attempts, s.Command, s.ExitCode, s.Message, s.Note, s.ConfirmedBy,
        s.InputRequestJson, s.OutputsJson);

    /// <summary>The definition path: the instance path without host brackets ("grp[master-1]/x" -> "grp/x").</summary>
    public string DefinitionPath => InstancePaths.ToDefinitionPath(StepPath);

    public TimeSpan? Duration => StartedAt is null ? null : (EndedAt ?? DateTimeOffset.UtcNow) - StartedAt.Value;
}

/// <summary>An approval as viewers see it: BindingText is exactly what it covers; BreakGlass ones are shown in red until reviewed.</summary>
public sealed record ApprovalView(
    long Id, string StepPath, string StepTitle, string RequestedBy, DateTimeOffset RequestedAt,
    ApprovalDecision Decision, string? DecidedBy, DateTimeOffset? DecidedAt, string? Reason,
    DateTimeOffset? ExpiresAt = null, string? BindingHash = null, string? BindingText = null,
    bool BreakGlass = false, string? ReviewedBy = null, DateTimeOffset? ReviewedAt = null)
{
    public static ApprovalView From(Approval a) => new(
        a.Id, a.StepPath, a.StepTitle, a.RequestedBy, a.RequestedAt, a.Decision, a.DecidedBy, a.DecidedAt, a.Reason,
        a.ExpiresAt, a.BindingHash, a.BindingText, a.BreakGlass, a.ReviewedBy, a.ReviewedAt);

    public bool AwaitsReview => BreakGlass && ReviewedBy is null;
}

/// <summary>
/// Instance paths name one execution of a step definition: children of a per-host group carry the host in brackets,
/// e.g. "stop-etcd[master-1]/move-manifest", so that each iteration has its own record and a resume can skip done ones.
/// </summary>
public static class InstancePaths
{
    public static string Child(string parentInstance, string childId) => parentInstance.Length == 0 ? childId : $"{parentInstance}/{childId}";

    public static string Iteration(string groupInstance, string host) => $"{groupInstance}[{host}]";

    public static string ToDefinitionPath(string instancePath) =>
        System.Text.RegularExpressions.Regex.Replace(instancePath, @"\[[^\]]*\]", "");
}
