namespace RecoveryConsole.Orchestration.Runs;

/// <summary>
/// One execution of a procedure against a cluster: the aggregate whose status changes are guarded here,
/// so that no caller can move a run into a state the procedure's life does not allow.
/// </summary>
public sealed class Run
{
    private static readonly Dictionary<RunStatus, RunStatus[]> Allowed = new()
    {
        [RunStatus.Pending] = [RunStatus.Running, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted],
        [RunStatus.Running] = [RunStatus.WaitingForApproval, RunStatus.WaitingForOperator, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted],
        // Hosts in parallel may wait on an approval and an operator at the same time: the run shows the first that applies.
        [RunStatus.WaitingForApproval] = [RunStatus.Running, RunStatus.WaitingForOperator, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted],
        [RunStatus.WaitingForOperator] = [RunStatus.Running, RunStatus.WaitingForApproval, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Interrupted],
        // A failed or interrupted run may be resumed from the step that did not finish, after an explicit confirmation.
        [RunStatus.Interrupted] = [RunStatus.Running, RunStatus.Cancelled],
        [RunStatus.Failed] = [RunStatus.Running],
        [RunStatus.Succeeded] = [],
        [RunStatus.Cancelled] = [],
    };

    private readonly List<StepExecution> _steps = [];
    private readonly List<Approval> _approvals = [];

    private Run() { } // EF Core

    public Run(string procedureId, string procedureTitle, string procedureVersionHash, string clusterName, bool isDrill,
        string parametersJson, string startedBy, DateTimeOffset now, IReadOnlyDictionary<string, string>? clusters = null,
        Guid? previousRunId = null)
    {
        PreviousRunId = previousRunId;
        ClustersJson = clusters is { Count: > 0 } ? RunClusters.ToJson(clusters) : null;
        Id = Guid.NewGuid();
        ProcedureId = procedureId;
        ProcedureTitle = procedureTitle;
        ProcedureVersionHash = procedureVersionHash;
        ClusterName = clusterName;
        IsDrill = isDrill;
        ParametersJson = parametersJson;
        StartedBy = startedBy;
        ActorNames = startedBy;
        CreatedAt = now;
        Status = RunStatus.Pending;
    }

    public Guid Id { get; private set; }
    public string ProcedureId { get; private set; } = "";
    public string ProcedureTitle { get; private set; } = "";
    public string ProcedureVersionHash { get; private set; } = "";
    public string ClusterName { get; private set; } = "";
    /// <summary>
    /// A multi-cluster run's clusters, role → cluster name as a JSON object in the procedure's role order (the main role
    /// first, whose cluster is <see cref="ClusterName"/>); null for a one-cluster run.
    /// </summary>
    public string? ClustersJson { get; private set; }

    /// <summary>Role → cluster name; empty for a one-cluster run.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ClusterRoles => RunClusters.FromJson(ClustersJson);

    /// <summary>Every cluster this run acts on: its own, and those of its roles.</summary>
    public IReadOnlyList<string> ClusterNames => ClusterRoles.Select(r => r.Value).Prepend(ClusterName).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The failed or rejected run this one retries with corrected parameters; null for a first attempt.</summary>
    public Guid? PreviousRunId { get; private set; }

    /// <summary>True when the cluster is simulated: history marks such runs as drills.</summary>
    public bool IsDrill { get; private set; }
    /// <summary>Parameter values as a JSON object of strings.</summary>
    public string ParametersJson { get; private set; } = "{}";
    public string StartedBy { get; private set; } = "";
    /// <summary>
    /// Everyone who drove this run, one name a line, the most recent last: the starter, whoever resumed it, confirmed a
    /// manual step or answered a question. None of them may approve its destructive steps (four-eyes).
    /// </summary>
    public string ActorNames { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public RunStatus Status { get; private set; }
    public string? StatusReason { get; private set; }
    /// <summary>SHA-256 chain over the transcript, written when the run ends; see TranscriptDigest.</summary>
    public string? TranscriptDigest { get; private set; }
    /// <summary>Number of transcript lines when the digest was taken.</summary>
    public long TranscriptLineCount { get; private set; }

    public IReadOnlyList<StepExecution> Steps => _steps;
    public IReadOnlyList<Approval> Approvals => _approvals;

    /// <summary>Who drove the run, the starter first and the most recent last.</summary>
    public IReadOnlyList<string> Actors =>
        ActorNames.Split('\n', StringSplitOptions.RemoveEmptyEntries).Prepend(StartedBy).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The operator who drove the run to where it is now.</summary>
    public string DrivenBy => ActorNames.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? StartedBy;

    public bool IsActor(string userName) => Actors.Contains(userName, StringComparer.OrdinalIgnoreCase);

    /// <summary>Records that <paramref name="userName"/> drove the run (resume, confirmation, answer).</summary>
    public void RecordActor(string userName)
    {
        var others = ActorNames.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(n => !string.Equals(n, userName, StringComparison.OrdinalIgnoreCase));
        ActorNames = string.Join('\n', others.Append(userName));
    }

    /// <summary>A rejection is final for the run: a resume must not ask again, a new run is needed.</summary>
    public Approval? Rejection => _approvals.LastOrDefault(a => a.Decision == ApprovalDecision.Rejected);

    public bool CanMoveTo(RunStatus next) => Allowed[Status].Contains(next);

    public void MoveTo(RunStatus next, DateTimeOffset now, string? reason = null)
    {
        if (!CanMoveTo(next))
            throw new InvalidTransitionException($"Run {Id} cannot go from {Status} to {next}.");
        if (next == RunStatus.Running && StartedAt is null) StartedAt = now;
        if (next.IsFinal() || next == RunStatus.Interrupted) EndedAt = now;
        else EndedAt = null;
        Status = next;
        StatusReason = reason;
    }

    public void SealTranscript(string digest, long lineCount)
    {
        TranscriptDigest = digest;
        TranscriptLineCount = lineCount;
    }

    /// <summary>The execution of a step on a host ("" for cluster-level steps), created on first use.</summary>
    public StepExecution StepOn(string stepPath, string host, string title)
    {
        var existing = _steps.LastOrDefault(s => s.StepPath == stepPath && s.Host == host);
        if (existing is not null) return existing;
        var created = new StepExecution(Id, stepPath, host, title, _steps.Count);
        _steps.Add(created);
        return created;
    }

    public StepExecution? FindStep(string stepPath, string host = "") =>
        _steps.LastOrDefault(s => s.StepPath == stepPath && s.Host == host);

    public Approval RequestApproval(string stepPath, string stepTitle, DateTimeOffset now, ApprovalTerms? terms = null)
    {
        var pending = PendingApproval(stepPath);
        if (pending is not null) return pending;
        var approval = new Approval(Id, stepPath, stepTitle, terms ?? new ApprovalTerms(DrivenBy, null, null, null), now);
        _approvals.Add(approval);
        return approval;
    }

    public Approval? PendingApproval(string stepPath) =>
        _approvals.LastOrDefault(a => a.StepPath == stepPath && a.Decision == ApprovalDecision.Pending);

    /// <summary>Pending approvals lapse when the run stops waiting (interrupted or cancelled): a resume asks again.</summary>
    public void WithdrawPendingApprovals(DateTimeOffset now, string reason)
    {
        foreach (var a in _approvals.Where(a => a.Decision == ApprovalDecision.Pending)) a.Withdraw(now, reason);
    }

    /// <summary>Marks every execution that had not finished as interrupted (the console stopped under it).</summary>
    public IReadOnlyList<StepExecution> InterruptUnfinishedSteps(DateTimeOffset now, string reason)
    {
        var cut = _steps.Where(s => !s.Status.IsFinal()).ToList();
        foreach (var s in cut) s.Finish(StepStatus.Interrupted, now, reason);
        return cut;
    }

    /// <summary>Before a resume: executions that did not succeed go back to Pending so that they run again, once.</summary>
    public void ReopenUnfinishedSteps()
    {
        foreach (var s in _steps.Where(s => !s.Status.IsDone())) s.Reopen();
    }
}
