using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>Where a run waits for people: a second person's approval, an operator's confirmation or answer.</summary>
internal sealed partial class RunExecutor
{
    /// <summary>
    /// Asks for an approval bound to what the step will run, and waits. As the step starts the binding is computed again:
    /// an approval that expired meanwhile or that no longer matches is void, and the step asks again; so does a request
    /// that expired before anyone approved it.
    /// </summary>
    /// <returns>The hosts the approval covers, resolved again as the step starts: the ones it must run on.</returns>
    private async Task<IReadOnlyList<HostInfo>> ApprovalGateAsync(StepDefinition step, string instance, StepExecution summary, IReadOnlyList<HostInfo> hosts,
        StepScope scope, StepOutput output, IReadOnlyList<string>? items = null)
    {
        while (true)
        {
            ApprovalBinding binding;
            // A preview that cannot be made (the file is gone, an operation matches nothing) fails the step before anyone is asked.
            try { binding = await BindAsync(step, instance, hosts, items, scope, output); }
            catch (StepFailedException e) { output.System($"✗ {e.Message}"); await FailAsync(summary, e.Message, e.ExitCode); throw; }
            var on = Where(hosts, items);
            var bookmark = new TaskCompletionSource<Bookmark>(TaskCreationOptions.RunContinuationsAsynchronously);
            active.Bookmarks[instance] = bookmark;
            var requestedBy = Run.DrivenBy;
            await MutateAsync(r =>
            {
                var now = Now;
                r.RequestApproval(instance, step.Title + on, now,
                    new ApprovalTerms(requestedBy, now + env.Options.ApprovalLifetime, binding.Hash, binding.Text));
                summary.Wait(StepStatus.WaitingForApproval, "Destructive: waiting for a second person (approver) to approve.");
                RefreshWaitingStatus(r);
            });
            output.System($"Waiting for approval: destructive step '{step.Title}'{on} needs an approver other than {string.Join(", ", Run.Actors)} " +
                          $"(requested by {requestedBy}, valid {Durations.Format(env.Options.ApprovalLifetime)}, binding sha256 {binding.Hash[..12]}).");
            await AuditAsync(AuditKinds.ApprovalRequested, $"{instance}: {step.Title}{on} sha256={binding.Hash}", requestedBy);
            var decision = await bookmark.Task.WaitAsync(Stop);
            active.Bookmarks.TryRemove(instance, out _);
            if (decision.Renew)
            {
                output.System("The approval request expired before anyone approved it: asking again.");
                continue;
            }
            if (!decision.Proceed)
            {
                await MutateAsync(RefreshWaitingStatus);
                throw new StepFailedException($"Rejected by {decision.Actor}: {decision.Text}");
            }
            var approval = await MutateAsync(r => r.Approvals.Last(a => a.StepPath == instance && a.Decision == ApprovalDecision.Approved && !a.Consumed));
            var targets = hosts.Count == 0 ? hosts : Resolve(step, scope) ?? hosts;
            ApprovalBinding now;
            try { now = await BindAsync(step, instance, targets, items, scope, output); }
            catch (StepFailedException e) { output.System($"✗ {e.Message}"); await FailAsync(summary, e.Message, e.ExitCode); throw; }
            var why = approval.IsExpired(Now) ? $"it expired at {approval.ExpiresAt:HH:mm:ss} UTC before the step started"
                : now.Hash != approval.BindingHash
                    // A preview (a file's diff) that differs says so in its own words: the approver reviews the new one.
                    ? now.Previews.FirstOrDefault(p => approval.BindingText?.Contains(p.Block, StringComparison.Ordinal) != true)?.Changed
                      ?? $"what the step would run changed since it was approved ({Difference(approval.BindingText, now.Text)})"
                    : null;
            if (why is not null)
            {
                hosts = targets;
                await MutateAsync(r => { approval.MakeVoid(Now, why); RefreshWaitingStatus(r); });
                output.System($"The approval by {decision.Actor} is void: {why}. Waiting for a new approval.");
                await AuditAsync(AuditKinds.ApprovalVoided, $"{instance}: approval {approval.Id} by {decision.Actor} is void: {why}", "system");
                continue;
            }
            output.System(decision.BreakGlass
                ? $"BREAK-GLASS: approved alone by {decision.Actor}, without a second person: {decision.Text}. Listed for review."
                : $"Approved by {decision.Actor}{(string.IsNullOrWhiteSpace(decision.Text) ? "" : $": {decision.Text}")}");
            await MutateAsync(r =>
            {
                approval.Consume();
                RefreshWaitingStatus(r);
            });
            return hosts;
        }
    }

    private static string Where(IReadOnlyList<HostInfo> hosts, IReadOnlyList<string>? items) =>
        (hosts.Count > 0 ? $" on {string.Join(", ", hosts.Select(h => h.Name))}" : "")
        + (items is null ? "" : items.Count == 0 ? " for no item" : $" for {string.Join(", ", items)}");

    private Task<ApprovalBinding> BindAsync(StepDefinition step, string instance, IReadOnlyList<HostInfo> hosts, IReadOnlyList<string>? items, StepScope scope,
        StepOutput output) =>
        ApprovalBinding.DescribeAsync($"{active.Procedure.Id}@{active.Procedure.VersionHash}", active.Cluster.Info, step, instance, hosts, items, scope,
            env.Redactor, active.RoleNames, (part, where, arguments) => PreviewAsync(part, where, arguments, output));

    /// <summary>The step's hosts as they resolve now; null when they no longer resolve (the step will fail on them as it runs).</summary>
    private IReadOnlyList<HostInfo>? Resolve(StepDefinition step, StepScope scope)
    {
        try { return HostResolver.Resolve(step.Target, active.Cluster.Info, scope); }
        catch (StepFailedException) { return null; }
    }

    /// <summary>The first line that differs, for the transcript: enough to see why without reading two listings.</summary>
    private static string Difference(string? approved, string current)
    {
        var before = (approved ?? "").Split('\n');
        var after = current.Split('\n');
        for (var i = 0; i < Math.Max(before.Length, after.Length); i++)
        {
            var b = i < before.Length ? before[i] : "";
            var a = i < after.Length ? after[i] : "";
            if (b != a) return $"approved '{b.Trim()}', now '{a.Trim()}'";
        }
        return "same text, different hash";
    }

    private async Task OperatorGateAsync(StepDefinition step, string instance, StepExecution summary, StepScope scope, StepOutput output)
    {
        string instructions;
        try { instructions = TemplateRenderer.Render(step.Manual!.Instructions, scope.Host is { } h ? scope.WithHost(h) : scope.Values, Escaping.None); }
        catch (TemplateException e) { throw new StepFailedException(e.Message); }
        var bookmark = new TaskCompletionSource<Bookmark>(TaskCreationOptions.RunContinuationsAsynchronously);
        active.Bookmarks[instance] = bookmark;
        await MutateAsync(r =>
        {
            summary.Wait(StepStatus.WaitingForOperator, instructions);
            RefreshWaitingStatus(r);
        });
        output.System($"Waiting for the operator: manual step '{step.Title}': {instructions}");
        var confirmation = await bookmark.Task.WaitAsync(Stop);
        active.Bookmarks.TryRemove(instance, out _);
        output.System($"Confirmed by {confirmation.Actor}: {confirmation.Text}");
        await MutateAsync(r =>
        {
            summary.Start(Now);
            summary.Finish(StepStatus.Succeeded, Now, "Done by the operator.");
            RefreshWaitingStatus(r);
        });
    }

    /// <summary>The run shows Waiting* while any step waits for a person, Running otherwise.</summary>
    private void RefreshWaitingStatus(Run run)
    {
        var target = run.Approvals.Any(a => a.Decision == ApprovalDecision.Pending) ? RunStatus.WaitingForApproval
            : run.Steps.Any(s => s.Status == StepStatus.WaitingForOperator) ? RunStatus.WaitingForOperator
            : RunStatus.Running;
        if (run.Status != target && run.CanMoveTo(target)) run.MoveTo(target, Now);
    }

    /// <summary>
    /// Asks the operator (choose CSRs, a machine, write a reason). What is asked is stored with the step, the answer is
    /// validated by RunService against it, and becomes the variable the input names, stored with the step's record.
    /// </summary>
    private async Task InputGateAsync(StepDefinition step, string instance, StepExecution summary, StepScope scope, StepOutput output)
    {
        var spec = step.Input!;
        string prompt;
        InputRequest request;
        try
        {
            prompt = TemplateRenderer.Render(spec.Prompt, scope.Values, Escaping.None);
            request = InputRequest.From(spec, prompt, Options(spec, scope));
        }
        catch (TemplateException e) { await FailAsync(summary, e.Message); throw new StepFailedException(e.Message); }
        var bookmark = new TaskCompletionSource<Bookmark>(TaskCreationOptions.RunContinuationsAsynchronously);
        active.Bookmarks[instance] = bookmark;
        await MutateAsync(r =>
        {
            summary.AskInput(JsonSerializer.Serialize(request, InputRequest.Json), prompt);
            RefreshWaitingStatus(r);
        });
        output.System($"Waiting for the operator: {step.Title}: {prompt}");
        foreach (var option in request.Options) output.System($"  [{(option.Selected ? "x" : " ")}] {option.Label}");
        var answer = await bookmark.Task.WaitAsync(Stop);
        active.Bookmarks.TryRemove(instance, out _);
        JsonNode? value = spec.Type == InputType.MultiChoice
            ? new JsonArray((answer.Values ?? []).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())
            : JsonValue.Create(answer.Values is [var one] ? one : answer.Text ?? "");
        Variables.Set(scope.Layer, spec.Name, value);
        output.System($"{answer.Actor} answered: {(answer.Values is { Count: > 0 } v ? string.Join(", ", v) : answer.Text is { Length: > 0 } t ? t : "(nothing)")}");
        await MutateAsync(r =>
        {
            summary.Start(Now);
            summary.Confirm(answer.Actor, answer.Values is { Count: > 0 } ? string.Join(", ", answer.Values) : answer.Text ?? "");
            summary.RecordOutputs(RunVariables.Record(scope.Layer, new Dictionary<string, JsonNode?> { [spec.Name] = value }));
            summary.Finish(StepStatus.Succeeded, Now, "Answered by the operator.");
            RefreshWaitingStatus(r);
        });
    }

    private static List<InputOption> Options(InputSpec spec, StepScope scope)
    {
        if (spec.OptionsFrom is null)
            return spec.Choices.Select(c => new InputOption(c, c, Preselected(spec, scope, JsonValue.Create(c)))).ToList();
        var source = scope.Variables.Find(scope.Prefix, spec.OptionsFrom)
            ?? throw new StepFailedException($"The options of this input come from '{spec.OptionsFrom}', which no step captured.");
        var items = source as JsonArray ?? [source.DeepClone()];
        var options = new List<InputOption>();
        foreach (var item in items)
        {
            var value = spec.OptionValue is { } field && item is JsonObject o ? RunVariables.Text(o[field]) : RunVariables.Text(item);
            var label = value;
            if (spec.OptionLabel is { } template)
            {
                var values = new Dictionary<string, string>(scope.Values);
                RunVariables.Flatten("option", item, values, 0);
                label = TemplateRenderer.Render(template, values, Escaping.None);
            }
            options.Add(new InputOption(value, label, Preselected(spec, scope, item)));
        }
        return options;
    }

    private static bool Preselected(InputSpec spec, StepScope scope, JsonNode? option)
    {
        if (spec.Preselect is null or "none") return false;
        if (spec.Preselect == "all") return true;
        var values = new Dictionary<string, string>(scope.ConditionValues());
        RunVariables.Flatten("option", option, values, 0);
        try { return Procedures.Conditions.Condition.Parse(spec.Preselect).Evaluate(values); }
        catch (Procedures.Conditions.ConditionException e) { throw new StepFailedException($"preselect: {e.Message}"); }
    }
}
