using System.Text.Json;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Expectations;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>The step kinds: commands on hosts, waits, API calls and built-in actions.</summary>
internal sealed partial class RunExecutor
{
    /// <summary>A run or wait step on one host, with its own record so a resume skips hosts already done.</summary>
    private async Task OnHostAsync(StepDefinition step, string instance, StepScope scope, HostInfo host)
    {
        var record = await MutateAsync(r => r.StepOn(instance, host.Name, step.Title));
        if (record.Status.IsDone()) return;
        var output = new StepOutput(env.Feed, Run.Id, instance, host.Name);
        await MutateAsync(_ => record.Start(Now));
        await FinishOnHostAsync(step, scope, record, output, () => step.Kind == StepKind.Wait
            ? WaitAsync(step, step.Wait!, scope, output, host, record)
            : CommandWithRetriesAsync(step, record, scope, host, output));
    }

    /// <summary>A started host record's end: the work's exit code, captures, then succeeded, failed or cut short.</summary>
    private async Task FinishOnHostAsync(StepDefinition step, StepScope scope, StepExecution record, StepOutput output, Func<Task<int>> work)
    {
        try
        {
            var exit = await work();
            await CaptureAsync(step, scope, record, output, output.Stdout, null);
            await MutateAsync(_ => record.Finish(StepStatus.Succeeded, Now, exitCode: exit));
        }
        catch (StepFailedException e) { await FailAsync(record, e.Message, e.ExitCode); throw; }
        catch (OperationCanceledException) when (Stop.IsCancellationRequested) { await MutateAsync(_ => record.Finish(CutShort, Now)); throw; }
    }

    private async Task<int> CommandWithRetriesAsync(StepDefinition step, StepExecution record, StepScope scope, HostInfo host, StepOutput output)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (exit, stdout, stderr) = await CommandAsync(step.Run!, scope, host, output, StepTimeout(step), record);
                return Judged(step, host, exit, stdout, stderr);
            }
            catch (StepFailedException e) when (attempt < step.Retry.Attempts)
            {
                output.System($"Attempt {attempt} of {step.Retry.Attempts} failed ({e.Message}); trying again in {Durations.Format(step.Retry.Delay)}.");
                await Task.Delay(step.Retry.Delay, WaitClock, Stop);
                await MutateAsync(_ => record.Start(Now)); // counts the attempt
            }
        }
    }

    /// <summary>Sends one command and collects its output; unreachable hosts and timeouts become step failures.</summary>
    /// <param name="auditNote">Audits a command that has no record of its own (a wait's check), with this note.</param>
    private async Task<(int Exit, string Stdout, string Stderr)> CommandAsync(CommandSpec spec, StepScope scope, HostInfo host, StepOutput output,
        TimeSpan timeout, StepExecution? record, string? auditNote = null)
    {
        var command = Render(spec, scope, host);
        Announce(output, command);
        if (record is not null)
        {
            await MutateAsync(_ => record.Sent(env.Redactor.Redact(command)));
            await AuditAsync(AuditKinds.CommandSent, $"{host.Name}: {env.Redactor.Redact(command)}");
        }
        else if (auditNote is not null)
            await AuditAsync(AuditKinds.CommandSent, $"{host.Name}: {env.Redactor.Redact(command)} ({auditNote})");
        return await SendAsync(command, host, output, timeout);
    }

    private static void Announce(StepOutput output, string command)
    {
        output.BeginCommand();
        output.System($"$ {command}");
    }

    private TimeSpan StepTimeout(StepDefinition step) => step.Timeout ?? env.Options.DefaultStepTimeout;

    /// <summary>The exit code when the step's expectation holds; a step failure naming the host otherwise.</summary>
    private static int Judged(StepDefinition step, HostInfo host, int exit, string stdout, string stderr)
    {
        var verdict = ExpectationMatcher.Check(step.Expect, ProbeOutcome.FromCommand(exit, stdout, stderr));
        if (verdict.Holds) return exit;
        throw new StepFailedException($"{host.Name}: {verdict.Explanation}", exit);
    }

    /// <summary>The command through the host's transport, its record and audit already written; failures in words.</summary>
    private async Task<(int Exit, string Stdout, string Stderr)> SendAsync(string command, HostInfo host, StepOutput output, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Stop);
        deadline.CancelAfter(timeout);
        return await ObserveAsync(host, output, timeout, () => active.Cluster.Hosts.RunAsync(host, command, output, deadline.Token));
    }

    /// <summary>A command on its way (<paramref name="send"/>, cancelled after <paramref name="timeout"/>): its exit code and output; failures in words.</summary>
    private async Task<(int Exit, string Stdout, string Stderr)> ObserveAsync(HostInfo host, StepOutput output, TimeSpan timeout, Func<Task<int>> send)
    {
        try
        {
            var exit = await send();
            output.System($"exit code {exit}{(output.Truncated ? " (output beyond 4 MiB was stored but not matched)" : "")}");
            return (exit, output.Stdout, output.Stderr);
        }
        catch (OperationCanceledException) when (!Stop.IsCancellationRequested)
        {
            throw new StepFailedException($"{host.Name}: the command did not finish within {Durations.Format(timeout)} and was stopped.");
        }
        catch (HostUnreachableException e)
        {
            throw new StepFailedException($"{host.Name}: {e.Reason}. Nothing was run there.", inner: e);
        }
        catch (Exception e) when (e is not (OperationCanceledException or StepFailedException))
        {
            // A transport's own failure after the command was sent (its end never arrived, it could not be stopped):
            // the transport's message says what is known about the command's effect.
            throw new StepFailedException($"{host.Name}: {e.Message}", inner: e);
        }
    }

    private static string Render(CommandSpec spec, StepScope scope, HostInfo host)
    {
        try { return CommandRenderer.Render(spec, scope.WithHost(host)); }
        catch (TemplateException e) { throw new StepFailedException(e.Message); }
    }

    /// <summary>
    /// Polls the probe every interval until its expectation holds or the wait times out. The transcript gets the first
    /// check in full, a line only when the reason for "not yet" changes, and in full the check that decided (met or timed
    /// out); the step's record carries one live status line ("check 7: not yet ...; gives up in 6m"). Every check's command
    /// is still audited.
    /// </summary>
    private async Task<int> WaitAsync(StepDefinition step, WaitSpec wait, StepScope scope, StepOutput output, HostInfo? host, StepExecution? record)
    {
        var deadline = WaitClock.GetUtcNow() + wait.Timeout;
        output.System($"Waiting until {ExpectationText.Describe(wait.Until)} (every {Durations.Format(wait.Every)}, at most {Durations.Format(wait.Timeout)})");
        string? shown = null;
        for (var poll = 1; ; poll++)
        {
            string? explanation = null;
            int exit = 0;
            var check = poll == 1 ? output : StepOutput.Quiet(env.Feed, Run.Id, output.StepPath, host?.Name ?? output.Host);
            if (wait.Probe.Command is { } command)
            {
                var probeOutput = poll == 1 ? new StepOutput(env.Feed, Run.Id, output.StepPath, host!.Name) : check;
                var (code, stdout, stderr) = await CommandAsync(command, scope, host!, probeOutput, wait.Every + TimeSpan.FromMinutes(1), null,
                    auditNote: $"check {poll}");
                exit = code;
                var verdict = ExpectationMatcher.Check(wait.Until, ProbeOutcome.FromCommand(code, stdout, stderr));
                if (verdict.Holds) { check.Replay(); output.System($"Condition met after {poll} check(s)."); return exit; }
                explanation = verdict.Explanation;
            }
            else
            {
                // An API that does not answer yet (it is coming back after a restore) is "not yet", not a failure.
                ApiResponse? response = null;
                try { response = await SendAsync(wait.Probe.Api!, scope, check, logBody: false, step.Cluster); }
                catch (ApiUnreachableException e) { explanation = e.Message; }
                if (response is not null)
                {
                    var verdict = ExpectationMatcher.Check(wait.Until, new ProbeOutcome(null, response.Status, response.Body));
                    if (verdict.Holds) { check.Replay(); output.System($"Condition met after {poll} check(s)."); return 0; }
                    explanation = verdict.Explanation;
                }
                else explanation ??= "no answer";
            }
            var now = WaitClock.GetUtcNow();
            if (now + wait.Every > deadline)
            {
                check.Replay();
                throw new StepFailedException($"Timed out after {Durations.Format(wait.Timeout)} waiting until {ExpectationText.Describe(wait.Until)}: {explanation}.", exit);
            }
            if (explanation != shown)
            {
                output.System($"Not yet (check {poll}): {explanation}; checking every {Durations.Format(wait.Every)}.");
                shown = explanation;
            }
            if (record is { Status: StepStatus.Running })
                await MutateAsync(_ => record.Progress(
                    $"Check {poll}: not yet: {explanation}. Next check in {Durations.Format(wait.Every)}; gives up in {Durations.Format(deadline - now)}."));
            // The run's clock: a lab drill on virtual time waits ten simulated minutes at no real cost.
            await Task.Delay(wait.Every, WaitClock, Stop);
        }
    }

    private async Task ApiStepAsync(StepDefinition step, string instance, StepScope scope, StepOutput output)
    {
        ApiResponse response;
        try { response = await SendAsync(step.Api!, scope, output, logBody: step.Captures.Count == 0, step.Cluster); }
        catch (ApiUnreachableException e) { throw new StepFailedException($"{e.Message}. Nothing was changed through the API.", inner: e); }
        var verdict = ExpectationMatcher.Check(step.Expect, new ProbeOutcome(null, response.Status, response.Body));
        if (!verdict.Holds) throw new StepFailedException(verdict.Explanation);
        if (step.Captures.Count > 0) output.System($"HTTP {response.Status}: {verdict.Explanation}");
        await CaptureAsync(step, scope, Run.FindStep(instance)!, output, response.Body, null);
    }

    private async Task<ApiResponse> SendAsync(ApiCall call, StepScope scope, StepOutput output, bool logBody, string? role)
    {
        ApiCall rendered;
        try { rendered = CommandRenderer.Render(call, scope.Host is { } h ? scope.WithHost(h) : scope.Values); }
        catch (TemplateException e) { throw new StepFailedException(e.Message); }
        var request = new ApiRequest(rendered.Method, rendered.Path, rendered.Body, rendered.ContentType);
        return await ApiFor(role, output, logBody ? ApiLogging.Bodies : ApiLogging.StatusOnly).SendAsync(request, Stop);
    }

    private async Task ActionAsync(StepDefinition step, string instance, StepScope scope, StepOutput output)
    {
        var spec = step.Action!;
        var action = env.Actions.Find(spec.Name) ?? throw new StepFailedException($"Unknown action '{spec.Name}'.");
        var values = scope.Values;
        Dictionary<string, string> arguments;
        try { arguments = spec.With.ToDictionary(kv => kv.Key, kv => TemplateRenderer.Render(kv.Value, values, Escaping.None)); }
        catch (TemplateException e) { throw new StepFailedException(e.Message); }
        output.System($"action {spec.Name} {env.Redactor.Redact(JsonSerializer.Serialize(arguments))}");
        var context = ActionContextFor(step, arguments, values, output);
        try
        {
            if (action is IPreviewableAction previewable)
                context = context with { Preview = await ApprovedPreviewAsync(previewable, step, instance, context, output) };
            await action.ExecuteAsync(context, Stop);
        }
        catch (HostUnreachableException e) { throw new StepFailedException(e.Message, inner: e); }
        catch (ApiUnreachableException e) { throw new StepFailedException(e.Message, inner: e); }
        catch (FileTransferException e) { throw new StepFailedException(e.Message, inner: e); }
        catch (PodOperationException e) { throw new StepFailedException(e.Message, inner: e); }
        if (context.ExitCode is int exit)
        {
            // A command run by an action (podExec) is judged like a run step: exit code 0 unless expect says otherwise.
            var verdict = ExpectationMatcher.Check(step.Expect, ProbeOutcome.FromCommand(exit, output.Stdout, output.Stderr));
            if (!verdict.Holds) throw new StepFailedException(verdict.Explanation, exit);
        }
        await CaptureAsync(step, scope, Run.FindStep(instance)!, output, output.Stdout, context.Produced, context.SecretOutputNames);
    }

    private ActionContext ActionContextFor(StepDefinition step, IReadOnlyDictionary<string, string> arguments, IReadOnlyDictionary<string, string> values, StepOutput output)
    {
        var cluster = active.For(step.Cluster);
        return new ActionContext(ApiFor(step.Cluster, output, ApiLogging.Requests), arguments, output, WaitClock, step.Timeout)
        {
            RunId = Run.Id,
            Cluster = cluster.Info,
            Hosts = cluster.Hosts,
            Files = cluster.Hosts as IHostFiles,
            Artifacts = env.Artifacts,
            Values = values,
            Cloud = cluster.Cloud,
            LearnSecret = env.Redactor.AddSecret,
        };
    }
}
