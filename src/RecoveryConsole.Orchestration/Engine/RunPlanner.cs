using System.Text.Json;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Conditions;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>The review page's content: each step with the hosts it targets and exactly what it will send.</summary>
public sealed record RunPlan(string ProcedureId, string ClusterName, IReadOnlyList<PlannedStep> Steps);

public sealed record PlannedStep(
    string Path,
    string Title,
    string Section,
    StepKind Kind,
    bool Destructive,
    string? Condition,
    /// <summary>False when the condition is false for this cluster; null when it cannot be known before the run.</summary>
    bool? WillRun,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<PlannedCommand> Commands,
    IReadOnlyList<PlannedStep> Children)
{
    /// <summary>Hosts an action step works on through its arguments (host, fromHost, toHost), where known before the run.</summary>
    public IReadOnlyList<string> ActionHosts { get; init; } = [];
}

/// <summary>What goes to a host (Host "" for API calls, actions and manual steps).</summary>
public sealed record PlannedCommand(string Host, string Text);

public static class RunPlanner
{
    public static RunPlan Plan(Procedure procedure, ClusterInfo cluster, IReadOnlyDictionary<string, string> values)
    {
        var scope = StepScope.Root(cluster, values);
        var steps = procedure.Preflight.Select(c => PlanCheck(c, cluster, scope))
            .Concat(procedure.Steps.Select(s => PlanStep(s, cluster, scope))).ToList();
        return new RunPlan(procedure.Id, cluster.Name, steps);
    }

    private static PlannedStep PlanCheck(Check check, ClusterInfo cluster, StepScope scope) =>
        PlanStep(PreflightStep.From(check, $"preflight/{check.Id}"), cluster, scope);

    private static PlannedStep PlanStep(StepDefinition step, ClusterInfo cluster, StepScope scope)
    {
        bool? willRun = true;
        if (step.When is { } when)
        {
            try { willRun = Condition.Parse(when).Evaluate(scope.ConditionValues()); }
            catch (ConditionException) { willRun = null; }
        }
        IReadOnlyList<HostInfo> hosts;
        try { hosts = HostResolver.Resolve(step.Target, cluster, scope); }
        catch (StepFailedException) { hosts = []; }

        var commands = new List<PlannedCommand>();
        var children = new List<PlannedStep>();
        if (step.Kind == StepKind.Group)
        {
            if (hosts.Count == 0) children.AddRange(step.Steps.Select(c => PlanStep(c, cluster, scope)));
            foreach (var host in hosts)
                children.AddRange(step.Steps.Select(c => PlanStep(c, cluster, scope.ForHost(InstancePaths.Iteration(step.Path, host.Name), host)) with
                {
                    Title = $"{c.Title} ({host.Name})",
                }));
        }
        else if (hosts.Count > 0)
        {
            foreach (var host in hosts) commands.Add(new PlannedCommand(host.Name, Describe(step, scope.WithHost(host))));
        }
        else
        {
            commands.Add(new PlannedCommand("", Describe(step, scope.Values)));
        }
        return new PlannedStep(step.Path, step.Title, step.Section, step.Kind, step.Destructive, step.When, willRun,
            hosts.Select(h => h.Name).ToList(), commands, children)
        {
            ActionHosts = step.Kind == StepKind.Action ? ActionHostsOf(step.Action!, hosts, scope) : [],
        };
    }

    /// <summary>The action arguments that name a host: preflight checks them like the hosts of commands.</summary>
    private static readonly string[] HostArguments = ["host", "fromHost", "toHost"];

    private static List<string> ActionHostsOf(ActionSpec action, IReadOnlyList<HostInfo> hosts, StepScope scope)
    {
        IReadOnlyList<IReadOnlyDictionary<string, string>> scopes = hosts.Count == 0 ? [scope.Values] : hosts.Select(scope.WithHost).ToList();
        var names = new List<string>();
        foreach (var values in scopes)
            foreach (var argument in HostArguments)
            {
                if (!action.With.TryGetValue(argument, out var template)) continue;
                // A host captured during the run (a value unknown now) is checked when the step reaches it.
                try { names.Add(TemplateRenderer.Render(template, values, Escaping.None).Trim()); }
                catch (TemplateException) { }
            }
        return names.Where(n => n.Length > 0).Distinct().ToList();
    }

    /// <summary>
    /// What the step sends, with values captured during the run shown in words as ⟨version entry⟩ (they are not known
    /// before it starts; the template's internal name, versionEntry, means nothing to a reviewer).
    /// </summary>
    private static string Describe(StepDefinition step, IReadOnlyDictionary<string, string> values)
    {
        var known = new Dictionary<string, string>(values);
        for (var unknown = 0; unknown < 32; unknown++)
        {
            try { return DescribeWith(step, known); }
            catch (TemplateException e) when (e.Name is { } name && !known.ContainsKey(name)) { known[name] = $"⟨{Words(name)}⟩"; }
            catch (TemplateException e) { return $"(cannot render: {e.Message})"; }
        }
        return "(cannot render: too many values unknown before the run)";
    }

    private static string DescribeWith(StepDefinition step, IReadOnlyDictionary<string, string> values)
    {
        {
            // A multi-cluster procedure's step says which role's cluster it talks to.
            return (step.Cluster is { } role && step.Kind is StepKind.Api or StepKind.Action or StepKind.Wait ? $"[{role}] " : "") + step.Kind switch
            {
                StepKind.Run => Command(step.Run!, values),
                StepKind.Api => Api(step.Api!, values),
                StepKind.Wait => $"every {Durations.Format(step.Wait!.Every)}, at most {Durations.Format(step.Wait.Timeout)}: " +
                                 (step.Wait.Probe.Command is { } c ? Command(c, values) : Api(step.Wait.Probe.Api!, values)) +
                                 $"  until {ExpectationText.Describe(step.Wait.Until)}",
                StepKind.Manual => $"Operator: {TemplateRenderer.Render(step.Manual!.Instructions, values, Escaping.None)}",
                StepKind.Action => $"action {step.Action!.Name} " + JsonSerializer.Serialize(
                    step.Action.With.ToDictionary(kv => kv.Key, kv => TemplateRenderer.Render(kv.Value, values, Escaping.None))),
                StepKind.Input => $"Operator answers: {TemplateRenderer.Render(step.Input!.Prompt, values, Escaping.None)}",
                StepKind.Compute => string.Join("; ", step.Compute!.Values.Select(v => $"{v.Name} = " +
                    (v.ForEach is null ? v.Template : $"for each {v.As} of {v.ForEach}: {v.Template}, joined by '{v.Join}'")))
                    + (step.Compute.Review ? " (reviewed by the operator)" : ""),
                _ => "",
            };
        }
    }

    /// <summary>"versionEntry" → "version entry", "host.name" → "host name".</summary>
    internal static string Words(string name)
    {
        var words = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '.' or '_' or '-') { words.Append(' '); continue; }
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1])) words.Append(' ');
            words.Append(char.ToLowerInvariant(c));
        }
        return words.ToString();
    }

    private static string Command(CommandSpec spec, IReadOnlyDictionary<string, string> values) => CommandRenderer.Render(spec, values);

    private static string Api(ApiCall call, IReadOnlyDictionary<string, string> values)
    {
        var rendered = CommandRenderer.Render(call, values);
        return $"{rendered.Method} {rendered.Path}" + (rendered.Body is null ? "" : $"  {rendered.Body}");
    }
}
