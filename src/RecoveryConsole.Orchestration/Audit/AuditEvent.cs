namespace RecoveryConsole.Orchestration.Audit;

/// <summary>
/// One entry of the tamper-evident audit log: each entry's Hash covers its content and the previous entry's
/// hash, so removing or editing any entry breaks the chain from there on.
/// </summary>
public sealed class AuditEvent
{
    private AuditEvent() { } // EF Core

    public AuditEvent(DateTimeOffset time, string actor, string kind, Guid? runId, string detail)
    {
        Time = time;
        Actor = actor;
        Kind = kind;
        RunId = runId;
        Detail = detail;
    }

    public long Id { get; private set; }
    public DateTimeOffset Time { get; private set; }
    public string Actor { get; private set; } = "";
    /// <summary>What happened, e.g. run.started, step.approved, run.resumed; see <see cref="AuditKinds"/>.</summary>
    public string Kind { get; private set; } = "";
    public Guid? RunId { get; private set; }
    public string Detail { get; private set; } = "";
    public string PreviousHash { get; private set; } = "";
    public string Hash { get; private set; } = "";

    internal void Chain(string previousHash, string hash)
    {
        PreviousHash = previousHash;
        Hash = hash;
    }
}

public static class AuditKinds
{
    public const string RunCreated = "run.created";
    public const string RunStatus = "run.status";
    public const string RunResumed = "run.resumed";
    public const string RunRefused = "run.refused";
    public const string RunCancelRequested = "run.cancel-requested";
    public const string StepStatus = "step.status";
    public const string CommandSent = "command.sent";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";
    public const string ApprovalRefused = "approval.refused";
    /// <summary>A pending approval outlived its lifetime; the step asks again.</summary>
    public const string ApprovalExpired = "approval.expired";
    /// <summary>As the step started, the approval no longer held (expired, or the step would run something else).</summary>
    public const string ApprovalVoided = "approval.void";
    /// <summary>An operator approved alone, with a justification: loud on purpose, listed until reviewed.</summary>
    public const string ApprovalBreakGlass = "approval.break-glass";
    public const string BreakGlassReviewed = "approval.break-glass-reviewed";
    /// <summary>A command that was refused (role, four-eyes, bad input, wrong state): it did not happen.</summary>
    public const string CommandRefused = "command.refused";
    public const string OperatorConfirmed = "operator.confirmed";
    /// <summary>An operator confirmed computed values (INITIAL_CLUSTER) before any step used them; the detail holds them.</summary>
    public const string ValueReviewed = "value.reviewed";
    /// <summary>A resumed run made a finished step's secret outputs again (they are never stored); see IRemakeOnResume.</summary>
    public const string OutputsRemade = "step.outputs-remade";
    public const string TranscriptSealed = "transcript.sealed";
    public const string UserCreated = "user.created";
    public const string ClusterRegistered = "cluster.registered";
    public const string ClusterRemoved = "cluster.removed";
    public const string InventoryCaptured = "cluster.inventory";
    public const string HostKeyAccepted = "hostkey.accepted";
    public const string HostKeyReplacementRequested = "hostkey.replacement-requested";
    public const string HostKeyReplacementRefused = "hostkey.replacement-refused";
    public const string HostKeyReplacementRejected = "hostkey.replacement-rejected";
    public const string LabScenario = "lab.scenario";
    /// <summary>A procedure file's new valid version is offered (file and version hash).</summary>
    public const string ProcedureReloaded = "procedure.reloaded";
    /// <summary>A procedure file's new version is invalid; the last good version, if any, stays offered.</summary>
    public const string ProcedureRejected = "procedure.rejected";
    /// <summary>A procedure file was deleted: its procedure is no longer offered (runs holding it keep it).</summary>
    public const string ProcedureRemoved = "procedure.removed";
    public const string Login = "user.login";
    public const string AccountSignInFailed = "account.sign-in-failed";
    public const string AccountLockedOut = "account.locked-out";
    public const string AccountSignedOut = "account.signed-out";
    public const string AccountDisabled = "account.disabled";
    public const string AccountEnabled = "account.enabled";
    public const string AccountClusterRolesChanged = "account.cluster-roles";
    /// <summary>A personal API token was made (its name and scopes; never its secret).</summary>
    public const string ApiTokenCreated = "api-token.created";
    public const string ApiTokenRevoked = "api-token.revoked";
    /// <summary>A call with a bearer token that is unknown, revoked, expired or whose account is disabled; never the secret.</summary>
    public const string ApiTokenRefused = "api-token.refused";
}

/// <summary>Appends to the audit log (computing the chain) and verifies it.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
    /// <summary>Several events chained in this order in one transaction: all of them are stored, or none.</summary>
    Task AppendAllAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);
    Task<IReadOnlyList<AuditEvent>> ListAsync(Guid? runId, CancellationToken cancellationToken);
    /// <summary>Recomputes the chain; returns the id of the first broken entry, or null when intact.</summary>
    Task<long?> FindFirstBrokenAsync(CancellationToken cancellationToken);
    /// <summary>The chain, its outside anchor (truncation, re-chaining) and the rows it vouches for, in words.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
    /// <summary>The newest entry (what exports cite), or null for an empty log.</summary>
    Task<AuditHead?> HeadAsync(CancellationToken cancellationToken);
}
