using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.ApplicabilityRules;
using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Parameters;

namespace RecoveryConsole.Orchestration.Engine;

/// <param name="ClusterName">The run's cluster; for a multi-cluster procedure, the cluster of its first (main) role.</param>
/// <param name="Clusters">A multi-cluster procedure's role → cluster name (the main role may be left out: it is <paramref name="ClusterName"/>).</param>
/// <param name="PreviousRunId">The failed or rejected run of the same procedure this one retries with corrected parameters.</param>
public sealed record StartRunRequest(string ProcedureId, string ClusterName, IReadOnlyDictionary<string, string?> Parameters,
    IReadOnlyDictionary<string, string>? Clusters = null, Guid? PreviousRunId = null);

/// <summary>
/// Owns runs, server-side and independent of any browser: browsers and hub clients only send commands here
/// (start, approve, confirm, cancel, resume) and observe through <see cref="RunFeed"/>. Every command checks the
/// actor's role on the server. At start-up runs cut off by a previous stop are marked Interrupted; at shutdown
/// active runs are interrupted and recorded as such.
/// </summary>
public sealed partial class RunService : IHostedService
{
    private readonly ConcurrentDictionary<Guid, ActiveRun> _active = new();
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly RunEnvironment _env;
    private readonly ProcedureCatalog _catalog;
    private readonly IClusterRegistry _clusters;

    public RunService(ProcedureCatalog catalog, IClusterRegistry clusters, RunFeed feed, IRunRepository runs, ITranscriptStore transcripts,
        IAuditLog audit, StepActions actions, Redactor redactor, TimeProvider clock, IOptions<OrchestrationOptions> options, ILogger<RunService> logger,
        Artifacts.IArtifactStore? artifacts = null)
    {
        _catalog = catalog;
        _clusters = clusters;
        _env = new RunEnvironment(feed, runs, transcripts, audit, actions, redactor, clock, options.Value, logger, artifacts);
    }

    private DateTimeOffset Now => _env.Clock.GetUtcNow();

    public bool IsActive(Guid runId) => _active.ContainsKey(runId);

    /// <summary>The run this console is executing against a cluster, if any (one at a time per cluster).</summary>
    public Guid? ActiveRunOn(string clusterName) =>
        _active.Values.FirstOrDefault(a => a.Run.ClusterNames.Contains(clusterName))?.Run.Id;

    public async Task<Guid> StartAsync(StartRunRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var procedure = _catalog.Find(request.ProcedureId) ?? throw new ArgumentException($"There is no valid procedure '{request.ProcedureId}'.");
        var choice = await ChooseClustersAsync(procedure, request, actor);
        var cluster = choice.Main;
        // The operator role must hold on every cluster the run changes, not only on the main one.
        foreach (var used in choice.All) Require(actor, Roles.Operator, "start a run", used.Info.Name, used.Info.IsSimulated);
        // Enforced here, not only in the wizard: a 4.x restore must never reach a 3.11 or 4.2 cluster.
        var applies = procedure.Clusters.Count > 0 ? ApplicabilityVerdict.Yes
            : ApplicabilityCheck.Evaluate(procedure, cluster.Info.Name, cluster.Info.Product, cluster.Info.Version);
        if (!applies.Applies)
        {
            await AuditAsync(actor, AuditKinds.RunRefused, null, $"{procedure.Id} on {cluster.Info.Name}: {applies.Reason}");
            throw new ArgumentException(applies.Reason);
        }
        var values = ParameterValidator.Resolve(procedure, request.Parameters, HostSetsOf(cluster.Info));
        var previous = await RetriedRunAsync(request, procedure, actor, cancellationToken);
        var roles = procedure.Clusters.ToDictionary(r => r.Name, r => choice.Roles[r.Name].Info.Name);

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            // Two procedures at once against one cluster would fight each other; a double click must not start two runs.
            // A multi-cluster run holds every cluster it uses.
            var names = choice.All.Select(c => c.Info.Name).ToList();
            var busy = _active.Values.FirstOrDefault(a => a.Run.Status.IsActive() && a.Run.ClusterNames.Intersect(names).Any());
            if (busy is not null)
                throw new InvalidOperationException($"Cluster {busy.Run.ClusterNames.Intersect(names).First()} already has an active run ({busy.Procedure.Title}, {busy.Run.Id}). Finish or cancel it first.");

            // Secret parameters are kept in memory for this run only, registered with the redactor, and stored masked.
            foreach (var secret in procedure.Parameters.Where(p => p.Secret)) _env.Redactor.AddSecret(values.GetValueOrDefault(secret.Name));
            var run = new Run(procedure.Id, procedure.Title, procedure.VersionHash, cluster.Info.Name, cluster.Info.IsSimulated,
                JsonSerializer.Serialize(Masked(procedure, values)), actor.UserName, Now, roles, previous?.Id);
            await _env.Runs.AddAsync(run, cancellationToken);
            await AuditAsync(actor, AuditKinds.RunCreated, run.Id,
                $"{procedure.Id}@{procedure.VersionHash[..Math.Min(12, procedure.VersionHash.Length)]} on {cluster.Info.Name}{(run.IsDrill ? " (drill)" : "")}"
                + (roles.Count > 0 ? $" clusters: {RunClusters.Describe(roles)}" : "")
                + (previous is null ? "" : $" retry of run {previous.Id}") + $" {run.ParametersJson}");
            await LaunchAsync(new ActiveRun(run, procedure, cluster, values) { Roles = choice.Roles }, "preflight");
            return run.Id;
        }
        finally { _startGate.Release(); }
    }

    /// <summary>The clusters of the request's roles; a choice the procedure does not allow is refused and audited.</summary>
    private async Task<RunClusterChoice> ChooseClustersAsync(Procedure procedure, StartRunRequest request, Actor actor)
    {
        try { return RunClusterChoice.Resolve(procedure, request, _clusters); }
        catch (ArgumentException e) when (procedure.Clusters.Count > 0)
        {
            await AuditAsync(actor, AuditKinds.RunRefused, null, $"{procedure.Id} on {request.ClusterName}: {e.Message}");
            throw;
        }
    }

    /// <param name="reviewedBinding">The binding hash of what the approver looked at; when given, it must still be what the step will run.</param>
    /// <summary>The operator says a manual step is done, with a note of what was done.</summary>
    public Task ConfirmAsync(Guid runId, string stepPath, Actor actor, string note, CancellationToken cancellationToken) =>
        RefusableAsync(actor, $"confirm {stepPath}", runId, () => ConfirmCoreAsync(runId, stepPath, actor, note, cancellationToken));

    private async Task ConfirmCoreAsync(Guid runId, string stepPath, Actor actor, string note, CancellationToken cancellationToken)
    {
        var active = Active(runId);
        Require(actor, Roles.Operator, "confirm a manual step", active.Run);
        await active.Lock.WaitAsync(cancellationToken);
        try
        {
            var step = active.Run.FindStep(stepPath);
            if (step is null || step.Status != StepStatus.WaitingForOperator)
                throw new InvalidOperationException($"Step {stepPath} is not waiting for an operator.");
            // A question is answered with ProvideInputAsync, which checks the answer; a note must not stand in for it.
            if (step.InputRequestJson is not null)
                throw new InvalidOperationException($"Step {stepPath} asks a question: answer it instead of confirming it.");
            var definition = active.Procedure.AllSteps().FirstOrDefault(s => s.Path == InstancePaths.ToDefinitionPath(stepPath));
            if (definition?.Manual?.RequireNote != false && string.IsNullOrWhiteSpace(note))
                throw new ArgumentException("Say what was done: a note is required to confirm this step.");
            note = CommandText.Optional(note, "The note") ?? "";
            step.Confirm(actor.UserName, note);
            active.Run.RecordActor(actor.UserName); // who confirmed a manual step may not approve this run's destructive steps
            await _env.Runs.SaveAsync(active.Run, CancellationToken.None);
        }
        finally { active.Lock.Release(); }
        await AuditAsync(actor, AuditKinds.OperatorConfirmed, runId, $"{stepPath}: {note.Trim()}");
        if (active.Bookmarks.TryGetValue(stepPath, out var bookmark))
            bookmark.TrySetResult(new Bookmark(true, actor.UserName, note.Trim()));
    }

    /// <summary>
    /// The operator's answer to a waiting input step (the chosen options, or one text). It is checked here, on the server,
    /// against what the step asked; a refused answer changes nothing and says why.
    /// </summary>
    public Task ProvideInputAsync(Guid runId, string stepPath, Actor actor, IReadOnlyList<string> answer, CancellationToken cancellationToken) =>
        RefusableAsync(actor, $"answer {stepPath}", runId, () => ProvideInputCoreAsync(runId, stepPath, actor, answer, cancellationToken));

    private async Task ProvideInputCoreAsync(Guid runId, string stepPath, Actor actor, IReadOnlyList<string> answer, CancellationToken cancellationToken)
    {
        var active = Active(runId);
        Require(actor, Roles.Operator, "answer a step's question", active.Run);
        IReadOnlyList<string> values;
        await active.Lock.WaitAsync(cancellationToken);
        try
        {
            var step = active.Run.FindStep(stepPath);
            var request = InputRequest.Parse(step?.InputRequestJson);
            if (step is null || request is null || step.Status != StepStatus.WaitingForOperator)
                throw new InvalidOperationException($"Step {stepPath} is not waiting for an answer.");
            var (checkedValues, problem) = request.Check(answer);
            if (problem is not null) throw new ArgumentException(problem);
            values = checkedValues;
            // Taken under the lock: of two answers sent at once, exactly one is used and audited.
            if (!active.Bookmarks.TryGetValue(stepPath, out var bookmark)
                || !bookmark.TrySetResult(new Bookmark(true, actor.UserName, string.Join(", ", values), values)))
                throw new InvalidOperationException($"Step {stepPath} was already answered.");
            // Who answered drove the run. Recorded under the lock the executor needs to use the answer, so four-eyes sees it first.
            active.Run.RecordActor(actor.UserName);
            await _env.Runs.SaveAsync(active.Run, CancellationToken.None);
        }
        finally { active.Lock.Release(); }
        await AuditAsync(actor, AuditKinds.OperatorConfirmed, runId, $"{stepPath}: answered {string.Join(", ", values)}");
    }

    /// <summary>Stops the run: the running command (and the remote process) is stopped within seconds. The reason is required.</summary>
    public Task CancelAsync(Guid runId, Actor actor, string reason, CancellationToken cancellationToken) =>
        RefusableAsync(actor, "cancel", runId, async () =>
        {
            reason = CommandText.Required(reason, "A reason for cancelling");
            if (_active.TryGetValue(runId, out var active))
            {
                Require(actor, Roles.Operator, "cancel a run", active.Run);
                if (active.Run.Status.IsFinal()) throw new InvalidOperationException($"The run is {active.Run.Status}: it cannot be cancelled.");
                await AuditAsync(actor, AuditKinds.RunCancelRequested, runId, reason);
                active.CancelReason = $"Cancelled by {actor.UserName}: {reason}";
                await active.Stop.CancelAsync();
                await active.Execution.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                return;
            }
            var run = await _env.Runs.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No run {runId}.");
            Require(actor, Roles.Operator, "cancel a run", run);
            if (!run.CanMoveTo(RunStatus.Cancelled)) throw new InvalidOperationException($"The run is {run.Status}: it cannot be cancelled.");
            await AuditAsync(actor, AuditKinds.RunCancelRequested, runId, reason);
            run.MoveTo(RunStatus.Cancelled, Now, $"Cancelled by {actor.UserName}: {reason}");
            await _env.Runs.SaveAsync(run, CancellationToken.None);
            _env.Feed.Publish(RunView.From(run));
        });

    /// <summary>
    /// Continues an interrupted or failed run at the step that did not finish, after the operator confirmed it is
    /// safe (the note is recorded). Steps that finished are never sent again; the unfinished one starts over, with
    /// preflight checks and approvals asked again.
    /// </summary>
    public Task ResumeAsync(Guid runId, Actor actor, string confirmation, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? secrets = null) =>
        RefusableAsync(actor, "resume", runId, () => ResumeCoreAsync(runId, actor, confirmation, cancellationToken, secrets));

    private async Task ResumeCoreAsync(Guid runId, Actor actor, string confirmation, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? secrets)
    {
        if (string.IsNullOrWhiteSpace(confirmation))
            throw new ArgumentException("Resuming re-runs the step that was cut off: confirm with a note why that is safe.");
        confirmation = CommandText.Required(confirmation, "The resume note");
        await _startGate.WaitAsync(cancellationToken);
        try
        {
            // A run that has just failed is saved (and shown) as Failed a moment before its executor lets go of it: wait for
            // that moment rather than refusing a resume the page already offers.
            if (_active.TryGetValue(runId, out var ending) && ending.Run.Status.IsFinal())
                await ending.Execution.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, CancellationToken.None);
            if (_active.ContainsKey(runId)) throw new InvalidOperationException("The run is already active.");
            var run = await _env.Runs.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No run {runId}.");
            Require(actor, Roles.Operator, "resume a run", run);
            if (run.Status is not (RunStatus.Interrupted or RunStatus.Failed))
                throw new InvalidOperationException($"Only an interrupted or failed run can be resumed; this one is {run.Status}.");
            if (run.Rejection is { } rejected)
                throw new InvalidOperationException($"Step {rejected.StepPath} was rejected by {rejected.DecidedBy}: {rejected.Reason}. A rejection is final for this run: start a new run.");
            var procedure = _catalog.Find(run.ProcedureId) ?? throw new InvalidOperationException($"Procedure {run.ProcedureId} is no longer available.");
            if (procedure.VersionHash != run.ProcedureVersionHash)
                throw new InvalidOperationException($"The procedure file changed since this run started ({run.ProcedureVersionHash[..12]} → {procedure.VersionHash[..12]}); start a new run instead.");
            var cluster = _clusters.Find(run.ClusterName) ?? throw new InvalidOperationException($"Cluster {run.ClusterName} is no longer registered.");
            var roles = run.ClusterRoles.ToDictionary(r => r.Key, r => _clusters.Find(r.Value)
                ?? throw new InvalidOperationException($"Cluster {r.Value} ({r.Key}) is no longer registered."));
            var busy = _active.Values.FirstOrDefault(a => a.Run.ClusterNames.Intersect(run.ClusterNames).Any());
            if (busy is not null) throw new InvalidOperationException($"Cluster {busy.Run.ClusterNames.Intersect(run.ClusterNames).First()} has another active run ({busy.Run.Id}).");

            var values = JsonSerializer.Deserialize<Dictionary<string, string>>(run.ParametersJson) ?? [];
            foreach (var secret in procedure.Parameters.Where(p => StoredParameters.WasRedacted(values.GetValueOrDefault(p.Name) ?? "")))
            {
                // Never stored (a secret, or a value that held one): the operator enters it again.
                var given = secrets?.GetValueOrDefault(secret.Name);
                if (string.IsNullOrEmpty(given)) throw new ArgumentException($"Enter {secret.Label} ({secret.Name}) again: secret values are not stored.");
                values[secret.Name] = given;
                _env.Redactor.AddSecret(given);
            }
            var cutOff = run.Steps.Where(s => !s.Status.IsDone() && s.Host == "").Select(s => s.StepPath).FirstOrDefault() ?? "(none)";
            run.ReopenUnfinishedSteps();
            run.RecordActor(actor.UserName); // who resumed the run may not approve its destructive steps
            await AuditAsync(actor, AuditKinds.RunResumed, runId, $"from {cutOff}: {confirmation.Trim()}");
            var resumes = (await _env.Audit.ListAsync(runId, cancellationToken)).Count(e => e.Kind == AuditKinds.RunResumed);
            await LaunchAsync(new ActiveRun(run, procedure, cluster, values) { Variables = RunVariables.Rebuild(run), Roles = roles }, $"preflight-resume-{resumes}",
                $"Resumed by {actor.UserName} from {cutOff}: {confirmation.Trim()}");
        }
        finally { _startGate.Release(); }
    }

    /// <summary>The plan a wizard shows before start: every command per host, with parameters substituted.</summary>
    public RunPlan Plan(string procedureId, string clusterName, IReadOnlyDictionary<string, string?> parameters)
    {
        var procedure = _catalog.Find(procedureId) ?? throw new ArgumentException($"There is no valid procedure '{procedureId}'.");
        var cluster = _clusters.Find(clusterName) ?? throw new ArgumentException($"There is no cluster '{clusterName}'.");
        var values = ParameterValidator.Resolve(procedure, parameters, HostSetsOf(cluster.Info));
        return RunPlanner.Plan(procedure, cluster.Info, values);
    }

    /// <summary>Parameters as the store and the audit keep them: secret ones masked, secrets in the others redacted.</summary>
    private Dictionary<string, string> Masked(Procedure procedure, IReadOnlyDictionary<string, string> values) =>
        StoredParameters.Masked(procedure, values, _env.Redactor);

    public const string SecretMask = StoredParameters.SecretMask;

    public static HostSets HostSetsOf(ClusterInfo cluster) => new(
        cluster.ControlPlaneHosts.Select(h => h.Name).ToList(),
        cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.Worker)).Select(h => h.Name).ToList(),
        cluster.Hosts.Select(h => h.Name).ToList());

    private async Task LaunchAsync(ActiveRun active, string preflightPrefix, string? note = null)
    {
        await _env.Feed.OpenAsync(active.Run.Id, CancellationToken.None);
        active.Run.MoveTo(RunStatus.Running, Now, note);
        await _env.Runs.SaveAsync(active.Run, CancellationToken.None);
        _env.Feed.Publish(RunView.From(active.Run));
        if (note is not null) _env.Feed.Append(active.Run.Id, "", "", OutputStream.System, note);
        _active[active.Run.Id] = active;
        var executor = new RunExecutor(active, _env, preflightPrefix);
        active.Execution = Task.Run(async () =>
        {
            try { await executor.ExecuteAsync(); }
            finally { _active.TryRemove(active.Run.Id, out _); }
        });
    }

    private ActiveRun Active(Guid runId) => _active.TryGetValue(runId, out var a)
        ? a : throw new InvalidOperationException("The run is not active in this console (finished, interrupted or unknown).");

    /// <summary>The role must hold on every cluster the run acts on (a multi-cluster run's roles included).</summary>
    private static void Require(Actor actor, string role, string what, Run run)
    {
        if (RunPermissions.Refusal(actor, role, what, run.ClusterNames, run.IsDrill) is { } refusal) throw new NotAllowedException(refusal);
    }

    private static Actor OnRun(Actor actor, Run run) => RunPermissions.OnClusters(actor, run.ClusterNames, run.IsDrill);

    private static void Require(Actor actor, string role, string what, string cluster, bool isSimulated)
    {
        if (RunPermissions.Refusal(actor, role, what, cluster, isSimulated) is { } refusal) throw new NotAllowedException(refusal);
    }

    /// <summary>
    /// Runs a command; a refusal (role, four-eyes, bad input, wrong state) is audited as a refusal, never with the kind the
    /// command would have written, and reaches the caller with its message.
    /// </summary>
    private async Task RefusableAsync(Actor actor, string command, Guid? runId, Func<Task> body)
    {
        try { await body(); }
        catch (Exception e) when (e is NotAllowedException or ApprovalRefusedException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            await AuditAsync(actor, e is ApprovalRefusedException ? AuditKinds.ApprovalRefused : AuditKinds.CommandRefused, runId, $"{command}: {e.Message}");
            throw;
        }
    }

    private Task AuditAsync(Actor actor, string kind, Guid? runId, string detail) =>
        _env.Audit.AppendAsync(new AuditEvent(Now, actor.UserName, kind, runId, _env.Redactor.Redact(actor.Audited(detail))), CancellationToken.None);

    /// <summary>Runs left active by a previous process (crash, kill, power loss) become Interrupted, with the reason in the transcript.</summary>
    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        foreach (var run in await _env.Runs.ListActiveAsync(cancellationToken))
        {
            var printing = TranscriptGap.Printing(run.Steps);
            var cut = run.InterruptUnfinishedSteps(Now, "The console stopped during this step.");
            run.WithdrawPendingApprovals(Now, "The console stopped while waiting.");
            run.MoveTo(RunStatus.Interrupted, Now, "The console stopped while the run was active; resume it from the interrupted step after checking the cluster.");
            await _env.Runs.SaveAsync(run, cancellationToken);
            await _env.Feed.OpenAsync(run.Id, cancellationToken);
            var lastStored = _env.Feed.LastSequence(run.Id);
            foreach (var step in printing)
                _env.Feed.Append(run.Id, step.StepPath, step.Host, OutputStream.System, TranscriptGap.DiedWhilePrinting(Describe(step), lastStored));
            _env.Feed.Append(run.Id, "", "", OutputStream.System,
                $"Console restarted: run interrupted{(cut.Count > 0 ? $" during {string.Join(", ", cut.Select(Describe))}" : "")}.");
            await AuditAsync(Actor.System, AuditKinds.RunStatus, run.Id, "Interrupted: found active at start-up");
        }
    }

    private static string Describe(StepExecution step) => step.Host.Length > 0 ? $"{step.StepPath}@{step.Host}" : step.StepPath;

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        foreach (var active in _active.Values)
        {
            active.ShuttingDown = true;
            await active.Stop.CancelAsync();
        }
        await Task.WhenAll(_active.Values.Select(a => a.Execution)).WaitAsync(cancellationToken).ContinueWith(_ => { }, CancellationToken.None);
    }
}
