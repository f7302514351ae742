namespace RecoveryConsole.Orchestration.Runs;

/// <summary>The execution of one step on one host (Host is "" for steps that target the cluster).</summary>
public sealed class StepExecution
{
    private StepExecution() { } // EF Core

    internal StepExecution(Guid runId, string stepPath, string host, string title, int order)
    {
        RunId = runId;
        StepPath = stepPath;
        Host = host;
        Title = title;
        Order = order;
        Status = StepStatus.Pending;
    }

    public long Id { get; private set; }
    public Guid RunId { get; private set; }
    public string StepPath { get; private set; } = "";
    public string Host { get; private set; } = "";
    public string Title { get; private set; } = "";
    /// <summary>Order in which the execution was first created within the run.</summary>
    public int Order { get; private set; }
    public StepStatus Status { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    /// <summary>Attempts made so far (retries and resumes count).</summary>
    public int Attempts { get; private set; }
    /// <summary>The last command or request sent, as rendered (secrets redacted).</summary>
    public string? Command { get; private set; }
    public int? ExitCode { get; private set; }
    /// <summary>A one-line outcome for people: why it failed, what it waited for, what was skipped.</summary>
    public string? Message { get; private set; }
    /// <summary>The operator's note for manual steps and confirmations.</summary>
    public string? Note { get; private set; }
    public string? ConfirmedBy { get; private set; }
    /// <summary>
    /// Values this execution captured or the operator gave ({"layer": ..., "values": {...}}), so that a resumed run has
    /// its variables back; see Engine.RunVariables. Secrets never land here.
    /// </summary>
    public string? OutputsJson { get; private set; }
    /// <summary>While the step waits for the operator's input: what is asked (prompt, type, options), as JSON.</summary>
    public string? InputRequestJson { get; private set; }

    public void RecordOutputs(string json) => OutputsJson = json;

    public void AskInput(string requestJson, string prompt)
    {
        Wait(StepStatus.WaitingForOperator, prompt);
        InputRequestJson = requestJson;
    }

    public void Start(DateTimeOffset now)
    {
        if (Status.IsDone())
            throw new InvalidTransitionException($"Step {StepPath}@{Host} already finished as {Status}; it is never run twice.");
        Status = StepStatus.Running;
        StartedAt ??= now;
        EndedAt = null;
        Attempts++;
        Message = null;
    }

    public void Wait(StepStatus waiting, string message)
    {
        if (waiting is not (StepStatus.WaitingForApproval or StepStatus.WaitingForOperator))
            throw new ArgumentOutOfRangeException(nameof(waiting));
        if (Status.IsDone())
            throw new InvalidTransitionException($"Step {StepPath}@{Host} already finished as {Status}.");
        Status = waiting;
        Message = message;
    }

    public void Sent(string command) => Command = command;

    /// <summary>A running step's live status (a wait's "check 7: not yet ..."): one line that changes, not a line per check.</summary>
    public void Progress(string message)
    {
        if (Status != StepStatus.Running)
            throw new InvalidTransitionException($"Step {StepPath}@{Host} is {Status}, not running: no progress to show.");
        Message = message;
    }

    public void Finish(StepStatus outcome, DateTimeOffset now, string? message = null, int? exitCode = null)
    {
        if (!outcome.IsFinal())
            throw new ArgumentOutOfRangeException(nameof(outcome), $"{outcome} is not an outcome.");
        if (Status.IsDone())
            throw new InvalidTransitionException($"Step {StepPath}@{Host} already finished as {Status}.");
        Status = outcome;
        EndedAt = now;
        Message = message;
        if (exitCode is not null) ExitCode = exitCode;
    }

    public void Confirm(string user, string note)
    {
        ConfirmedBy = user;
        Note = note;
    }

    /// <summary>An interrupted or failed execution is reset before a resume runs it again.</summary>
    public void Reopen()
    {
        if (Status.IsDone())
            throw new InvalidTransitionException($"Step {StepPath}@{Host} finished as {Status}; it is not reopened.");
        Status = StepStatus.Pending;
        EndedAt = null;
    }
}
