using Microsoft.Extensions.Logging;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Conditions;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Executes one active run from its first unfinished step to the end. Steps already done (a resumed run) are
/// skipped, never sent again. Every state change is saved before the next command goes out.
/// </summary>
internal sealed partial class RunExecutor(ActiveRun active, RunEnvironment env, string preflightPrefix)
{
    private RunVariables Variables => active.Variables;

    private Run Run => active.Run;
    private CancellationToken Stop => active.Stop.Token;

    public async Task ExecuteAsync()
    {
        var scope = StepScope.Root(active.Cluster.Info, active.Parameters, active.Variables);
        var system = new StepOutput(env.Feed, Run.Id, "", "");
        try
        {
            system.System($"Run of '{active.Procedure.Title}' on {active.Cluster.Info.Name}{(active.Cluster.Info.IsSimulated ? " (simulated: drill)" : "")}");
            if (active.Roles.Count > 0) system.System($"Clusters: {RunClusters.Describe(active.RoleNames)}");
            await PreflightClustersAsync();
            await PreflightAsync(scope);
            await PreflightHostsAsync(scope);
            foreach (var step in active.Procedure.Steps)
                await ExecuteStepAsync(step, scope, coveredByApproval: false);
            await FinishAsync(RunStatus.Succeeded, "All steps completed.");
        }
        catch (StepFailedException e)
        {
            await FinishAsync(RunStatus.Failed, e.Message);
        }
        catch (OperationCanceledException) when (Stop.IsCancellationRequested)
        {
            if (active.ShuttingDown) await FinishAsync(RunStatus.Interrupted, "The console stopped while the run was active.");
            else await FinishAsync(RunStatus.Cancelled, active.CancelReason ?? "Cancelled.");
        }
        catch (Exception e)
        {
            env.Logger.LogError(e, "Run {RunId} failed with an internal error", Run.Id);
            await FinishAsync(RunStatus.Failed, $"Internal error: {e.Message}");
        }
    }

    private async Task PreflightAsync(StepScope scope)
    {
        foreach (var check in active.Procedure.Preflight)
        {
            var step = PreflightStep.From(check, check.Id);
            if (!check.OnResume && IsResume) continue; // a fact about the start (say, "nothing there yet") the run itself changed
            try
            {
                await ExecuteStepAsync(step, scope.At(preflightPrefix), coveredByApproval: true);
            }
            catch (StepFailedException e)
            {
                var why = check.FailureMessage.Length > 0 ? $"{FailureText(check, scope)} ({e.Message})" : e.Message;
                throw new StepFailedException($"Preflight check '{check.Title}' failed: {why}", e.ExitCode, e);
            }
        }
    }

    /// <summary>The check's failure message with the run's values in it (names the namespace, the host ...).</summary>
    private static string FailureText(Check check, StepScope scope)
    {
        try { return TemplateRenderer.Render(check.FailureMessage, scope.Values, Escaping.None); }
        catch (TemplateException) { return check.FailureMessage; }
    }

    private async Task ExecuteStepAsync(StepDefinition step, StepScope scope, bool coveredByApproval)
    {
        var instance = InstancePaths.Child(scope.Prefix, step.Id);
        if (step.ForEachItem is { } loop)
        {
            await ItemsAsync(step, loop, instance, scope, coveredByApproval);
            return;
        }
        await ExecuteInstanceAsync(step, instance, scope, coveredByApproval);
    }

    /// <summary>One execution of a step: <paramref name="instance"/> is its record's path (an item's carries the item).</summary>
    private async Task ExecuteInstanceAsync(StepDefinition step, string instance, StepScope scope, bool coveredByApproval)
    {
        var summary = await MutateAsync(r => r.StepOn(instance, "", step.Title));
        if (summary.Status.IsDone())
        {
            // Done before a resume: never sent twice. Only secret outputs of an effect-free action are made again.
            if (summary.Status == StepStatus.Succeeded) await RemakeSecretOutputsAsync(step, instance, scope, summary);
            return;
        }

        var output = new StepOutput(env.Feed, Run.Id, instance, scope.Host?.Name ?? "");
        if (step.When is { } when && !Holds(when, scope, instance))
        {
            output.System($"Skipped: condition '{when}' is false for {active.Cluster.Info.Name}.");
            await MutateAsync(_ => summary.Finish(StepStatus.Skipped, Now, $"Condition '{when}' is false."));
            return;
        }

        IReadOnlyList<HostInfo> hosts;
        try { hosts = HostResolver.Resolve(step.Target, active.Cluster.Info, scope); }
        catch (StepFailedException e) { await FailAsync(summary, e.Message); throw; }

        if (hosts.Count == 0 && step.Target is { IsHostSet: true, Except: { } except })
        {
            // Every host of the set was left out (the other control-plane hosts are all lost): nothing to do here.
            output.System($"Skipped: no host is left once {except.Replace(",", ", ")} are left out.");
            await MutateAsync(_ => summary.Finish(StepStatus.Skipped, Now, $"No host left after leaving out {except.Replace(",", ", ")}."));
            return;
        }
        if (step.Destructive && !coveredByApproval)
        {
            hosts = await ApprovalGateAsync(step, instance, summary, hosts, scope, output);
            coveredByApproval = true;
        }
        if (step.Kind == StepKind.Manual)
        {
            await OperatorGateAsync(step, instance, summary, scope, output);
            return;
        }
        if (step.Kind == StepKind.Compute)
        {
            await ComputeAsync(step, instance, summary, scope, output);
            return;
        }
        if (step.Kind == StepKind.Input)
        {
            await InputGateAsync(step, instance, summary, scope, output);
            return;
        }

        await MutateAsync(_ => summary.Start(Now));
        output.System($"▶ {step.Title}{(step.Section.Length > 0 ? $"  [{step.Section}]" : "")}{(hosts.Count > 0 ? $"  on {string.Join(", ", hosts.Select(h => h.Name))}" : "")}");
        try
        {
            await ExecuteBodyAsync(step, instance, scope, hosts, coveredByApproval, output);
            await MutateAsync(_ => summary.Finish(StepStatus.Succeeded, Now));
        }
        catch (StepFailedException e)
        {
            output.System($"✗ {e.Message}");
            await FailAsync(summary, e.Message, e.ExitCode);
            throw;
        }
        catch (OperationCanceledException) when (Stop.IsCancellationRequested)
        {
            await MutateAsync(_ => summary.Finish(active.ShuttingDown ? StepStatus.Interrupted : StepStatus.Cancelled, Now,
                active.ShuttingDown ? "The console stopped during this step." : active.CancelReason));
            throw;
        }
    }

    private Task ExecuteBodyAsync(StepDefinition step, string instance, StepScope scope, IReadOnlyList<HostInfo> hosts, bool covered, StepOutput output) =>
        step.Kind switch
        {
            StepKind.Group when step.Repeat is { } repeat => RoundsAsync(step, repeat, instance, scope, covered),
            StepKind.Group when step.Target.Mode == TargetMode.Cluster => ChildrenAsync(step, scope.At(instance), covered),
            // A nested group on the enclosing group's current host is not a new iteration: no second [host] in its path.
            StepKind.Group when step.Target is { Mode: TargetMode.One, Host: BuiltInNames.Host } && scope.Host is not null =>
                ChildrenAsync(step, scope.At(instance), covered),
            StepKind.Group => ForHostsAsync(step, hosts, host => IterationAsync(step, instance, scope, host, covered)),
            StepKind.Run when step.Target.Mode == TargetMode.Together => TogetherAsync(step, instance, scope, hosts, output),
            StepKind.Run => ForHostsAsync(step, hosts, host => OnHostAsync(step, instance, scope, host)),
            StepKind.Wait when step.Wait!.Probe.Command is not null => ForHostsAsync(step, hosts, host => OnHostAsync(step, instance, scope, host)),
            StepKind.Wait => WaitAsync(step, step.Wait!, scope, output, null, Run.FindStep(instance)),
            StepKind.Api => ApiStepAsync(step, instance, scope, output),
            StepKind.Action => ActionAsync(step, instance, scope, output),
            _ => throw new StepFailedException($"Step kind {step.Kind} cannot run here."),
        };

    private async Task ChildrenAsync(StepDefinition group, StepScope scope, bool covered)
    {
        foreach (var child in group.Steps) await ExecuteStepAsync(child, scope, covered);
    }

    /// <summary>One host's pass through a per-host group: its own record, so a resume continues with the next host.</summary>
    private async Task IterationAsync(StepDefinition group, string instance, StepScope scope, HostInfo host, bool covered)
    {
        var record = await MutateAsync(r => r.StepOn(instance, host.Name, $"{group.Title} ({host.Name})"));
        if (record.Status.IsDone()) return;
        await MutateAsync(_ => record.Start(Now));
        try
        {
            await ChildrenAsync(group, scope.ForHost(InstancePaths.Iteration(instance, host.Name), host), covered);
            await MutateAsync(_ => record.Finish(StepStatus.Succeeded, Now));
        }
        catch (StepFailedException e) { await FailAsync(record, e.Message, e.ExitCode); throw; }
        catch (OperationCanceledException) when (Stop.IsCancellationRequested) { await MutateAsync(_ => record.Finish(CutShort, Now)); throw; }
    }

    /// <summary>Each host in turn (stop at the first failure) or all at once (let every host finish, then report all failures).</summary>
    private static async Task ForHostsAsync(StepDefinition step, IReadOnlyList<HostInfo> hosts, Func<HostInfo, Task> body)
    {
        if (hosts.Count == 0) throw new StepFailedException($"'{step.Title}' has no host to run on.");
        if (step.Target.Mode != TargetMode.AllAtOnce)
        {
            foreach (var host in hosts) await body(host);
            return;
        }
        await AllAsync(hosts.Select(body).ToList(), hosts.Select(h => h.Name).ToList());
    }

    private StepStatus CutShort => active.ShuttingDown ? StepStatus.Interrupted : StepStatus.Cancelled;

    private DateTimeOffset Now => env.Clock.GetUtcNow();

    /// <summary>Waits, polls and retries run on the cluster's clock (a lab drill's is scaled or virtual), records on the console's.</summary>
    private TimeProvider WaitClock => active.Cluster.Clock ?? env.Clock;

    private static bool Holds(string when, StepScope scope, string instance)
    {
        try { return Condition.Parse(when).Evaluate(scope.ConditionValues()); }
        catch (ConditionException e) { throw new StepFailedException($"Step {instance}: {e.Message}"); }
    }

    private async Task FailAsync(StepExecution record, string message, int? exitCode = null)
    {
        if (record.Status.IsFinal()) return;
        await MutateAsync(_ => record.Finish(StepStatus.Failed, Now, message, exitCode));
    }

    /// <summary>
    /// Applies a change to the run under its lock, then returns once a save that includes it is done and shown to viewers.
    /// Saves are shared (group commit): hosts of an "all at once" step change their records together, and one save
    /// covers every change made while the previous save was running, instead of one transaction per host in a row
    /// (200 hosts took 35 s to start that way). Each caller still waits for its change to be stored before going on,
    /// so nothing is sent to a host before its record says so.
    /// </summary>
    private async Task<T> MutateAsync<T>(Func<Run, T> change)
    {
        T result;
        long generation;
        await active.Lock.WaitAsync(CancellationToken.None);
        try
        {
            result = change(Run);
            generation = ++_changed;
        }
        finally { active.Lock.Release(); }
        await SavedAsync(generation);
        return result;
    }

    private long _changed, _saved;
    private readonly SemaphoreSlim _saving = new(1, 1);

    /// <summary>Returns once a save covering change number <paramref name="generation"/> is done (this caller's or another's).</summary>
    private async Task SavedAsync(long generation)
    {
        await _saving.WaitAsync(CancellationToken.None);
        try
        {
            if (Volatile.Read(ref _saved) >= generation) return;
            await active.Lock.WaitAsync(CancellationToken.None);
            try
            {
                var covered = _changed;
                await env.Runs.SaveAsync(Run, CancellationToken.None);
                env.Feed.Publish(RunView.From(Run));
                Volatile.Write(ref _saved, covered);
            }
            finally { active.Lock.Release(); }
        }
        finally { _saving.Release(); }
    }

    private Task MutateAsync(Action<Run> change) => MutateAsync<bool>(r => { change(r); return true; });

    private Task AuditAsync(string kind, string detail, string? actor = null) =>
        env.Audit.AppendAsync(new AuditEvent(Now, actor ?? Run.StartedBy, kind, Run.Id, detail), CancellationToken.None);

    private async Task FinishAsync(RunStatus status, string reason)
    {
        await MutateAsync(r =>
        {
            if (status == RunStatus.Interrupted) r.InterruptUnfinishedSteps(Now, reason);
            r.WithdrawPendingApprovals(Now, reason);
            r.MoveTo(status, Now, reason);
        });
        env.Feed.Append(Run.Id, "", "", OutputStream.System, $"Run {status}: {reason}");
        await AuditAsync(AuditKinds.RunStatus, $"{status}: {reason}", "system");
        if (status.IsFinal()) await SealTranscriptAsync();
    }

    /// <summary>Digest of the whole transcript into the run and the audit chain: a later edit of any line shows.</summary>
    private async Task SealTranscriptAsync()
    {
        await env.Feed.FlushAsync(Run.Id, CancellationToken.None);
        env.Redactor.ForgetRun(Run.Id); // a private key left open by the last step is followed no more
        var seal = await TranscriptDigest.SealAsync(env.Transcripts, Run.Id, CancellationToken.None);
        // The chained seal first: it is the evidence checks use, so the run never shows a new digest without it.
        await AuditAsync(AuditKinds.TranscriptSealed, seal.AuditDetail, "system"); // with per-line tags: an edit is named
        await MutateAsync(r => r.SealTranscript(seal.Digest, seal.Lines));
    }
}
