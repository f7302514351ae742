using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Conditions;
using RecoveryConsole.Procedures.Model;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// Reads <c>steps:</c>, recursively. A step that has no target inside a group that has one runs on the
/// group's current host (<c>on: host</c>); outside such a group it runs on no host.
/// </summary>
internal static partial class StepReader
{
    private static readonly string[] Keys =
    [
        "id", "title", "section", "description", "when", "destructive", "on", "forEach",
        "run", "api", "wait", "manual", "action", "steps", "expect", "timeout", "retry",
        "capture", "env", "input", "repeat", "cluster", "compute", "review",
    ];

    private static readonly string[] KindKeys = ["run", "api", "wait", "manual", "action", "input", "compute", "steps"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    public static List<StepDefinition> ReadList(LoadContext ctx, IReadOnlyList<(YamlNode Node, string Field)> items,
        string parentPath, bool topLevel, bool hostInScope)
    {
        var steps = new List<StepDefinition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, field) in items)
        {
            var step = Read(ctx, node, field, parentPath, topLevel, hostInScope, ids);
            if (step is not null)
                steps.Add(step);
        }
        return steps;
    }

    private static StepDefinition? Read(LoadContext ctx, YamlNode node, string field, string parentPath,
        bool topLevel, bool inheritedHost, HashSet<string> siblingIds)
    {
        var map = YamlMap.Read(ctx, node, field, Keys);
        if (map is null)
            return null;
        var errors = ctx.Errors.Count;

        var id = map.String("id", required: true);
        if (id is not null && !IdPattern().IsMatch(id))
            ctx.Error(map.Get("id")!, map.Field("id"), $"'{id}' is not a valid step id (lowercase letters, digits and '-').");
        else if (id is not null && !siblingIds.Add(id))
            ctx.Error(map.Get("id")!, map.Field("id"), $"step id '{id}' is used twice at this level.");
        var path = parentPath.Length == 0 ? id ?? "" : $"{parentPath}/{id}";

        var title = map.String("title", required: true);
        // Every top-level step cites the document it comes from; nested steps may add a finer section.
        var section = map.String("section", required: topLevel) ?? "";

        var when = map.String("when");
        if (when is not null)
            CheckCondition(ctx, map, when);

        var itemLoop = VariableReader.ReadItemLoop(ctx, map);
        var explicitTarget = TargetReader.Read(ctx, map, inheritedHost);
        // An invalid on/forEach was reported; still treat the step as having a host to avoid follow-on errors.
        var hostInScope = inheritedHost || map.Has("on") || (map.Has("forEach") && itemLoop is null);
        var target = explicitTarget ?? (inheritedHost ? new StepTarget(TargetMode.One, Host: BuiltInNames.Host) : StepTarget.Cluster);

        var kinds = KindKeys.Where(map.Has).ToList();
        if (kinds.Count != 1)
        {
            ctx.Error(map.Node, field, kinds.Count == 0
                ? "a step needs exactly one of run, api, wait, manual, action, input, compute or steps."
                : $"a step does exactly one thing, but this one has {string.Join(" and ", kinds)}.");
            return null;
        }
        var kindKey = kinds[0];
        var kindNode = map.Get(kindKey)!;
        var kindField = map.Field(kindKey);
        var cluster = ReadCluster(ctx, map, field, kindKey);
        var outerCluster = ctx.GroupCluster;
        ctx.GroupCluster = cluster;

        var step = new StepDefinition
        {
            Id = id ?? "",
            Path = path,
            Title = title ?? "",
            Kind = StepKind.Run,
            Section = section,
            Description = map.String("description") ?? "",
            When = when,
            Destructive = map.Bool("destructive") ?? false,
            Target = target,
            Cluster = cluster,
        };
        step = kindKey switch
        {
            "run" => step with { Kind = StepKind.Run, Run = SpecReader.Command(ctx, kindNode, kindField, hostInScope) },
            "api" => step with { Kind = StepKind.Api, Api = SpecReader.Api(ctx, kindNode, kindField, hostInScope) },
            "wait" => step with { Kind = StepKind.Wait, Wait = SpecReader.Wait(ctx, kindNode, kindField, hostInScope) },
            "manual" => step with { Kind = StepKind.Manual, Manual = SpecReader.Manual(ctx, kindNode, kindField, hostInScope) },
            "action" => step with { Kind = StepKind.Action, Action = SpecReader.Action(ctx, kindNode, kindField, hostInScope) },
            "input" => step with { Kind = StepKind.Input, Input = VariableReader.ReadInput(ctx, kindNode, kindField, hostInScope) },
            "compute" => step with { Kind = StepKind.Compute, Compute = ComputeReader.Read(ctx, map, kindNode, kindField, hostInScope) },
            _ => step with { Kind = StepKind.Group, Steps = ReadChildren(ctx, map, path, hostInScope) },
        };
        ctx.GroupCluster = outerCluster;

        step = ReadOutcomeRules(ctx, map, step);
        TargetReader.CheckTogether(ctx, map, step);
        if (step.Kind != StepKind.Compute && map.Has("review"))
            ctx.Error(map.Get("review")!, map.Field("review"), "'review' shows computed values to the operator; it applies to compute steps only.");
        step = step with
        {
            ForEachItem = itemLoop,
            Captures = VariableReader.ReadCaptures(ctx, map, step),
            Repeat = VariableReader.ReadRepeat(ctx, map, step),
        };
        step = VariableReader.ApplyEnvironment(ctx, map, step, hostInScope);
        return ctx.Errors.Count == errors ? step : null;
    }

    /// <summary>
    /// <c>cluster:</c> where it means something: API steps, API waits, actions and groups (for their steps). Commands,
    /// manual steps and questions have no API; a command runs on the main cluster's hosts.
    /// </summary>
    private static string? ReadCluster(LoadContext ctx, YamlMap map, string field, string kindKey)
    {
        var talksToApi = kindKey is "api" or "action"
            || (kindKey == "wait" && map.Get("wait") is YamlMappingNode wait && wait.Children.ContainsKey(new YamlScalarNode("api")));
        if (map.Has("cluster") && kindKey is not ("api" or "action" or "wait" or "steps"))
        {
            ctx.Error(map.Get("cluster")!, map.Field("cluster"), $"'cluster' applies to api, wait, action steps and groups, not to a {kindKey} step.");
            return ctx.GroupCluster;
        }
        return ClusterRoleReader.Resolve(ctx, map, field, talksToApi, ctx.GroupCluster);
    }

    public static void CheckCondition(LoadContext ctx, YamlMap map, string text, string key = "when")
    {
        try { Condition.Parse(text); }
        catch (ConditionException ex) { ctx.Error(map.Get(key)!, map.Field(key), ex.Message); }
    }

    private static List<StepDefinition> ReadChildren(LoadContext ctx, YamlMap map, string path, bool hostInScope)
    {
        var items = map.List("steps");
        // Only an empty list: anything that is not a list was already reported as such.
        if (items.Count == 0 && map.Get("steps") is YamlSequenceNode or YamlScalarNode { Value: "" or "~" or "null" })
            ctx.Error(map.Get("steps")!, map.Field("steps"), "a group needs at least one step.");
        return ReadList(ctx, items, path, topLevel: false, hostInScope);
    }

    /// <summary>expect / timeout / retry: only where they mean something, so a misplaced one is not silently ignored.</summary>
    private static StepDefinition ReadOutcomeRules(LoadContext ctx, YamlMap map, StepDefinition step)
    {
        var kindName = step.Kind.ToString().ToLowerInvariant();
        if (step.Kind is StepKind.Action && map.Has("expect"))
        {
            // Judged only for actions that run a command (podExec): exit code and output, as for a run step.
            step = step with { Expect = ExpectationReader.ReadExpect(ctx, map, ExpectationReader.Subject.Command) ?? step.Expect };
        }
        else if (step.Kind is StepKind.Run or StepKind.Api)
        {
            var subject = step.Kind == StepKind.Run ? ExpectationReader.Subject.Command : ExpectationReader.Subject.Api;
            step = step with { Expect = ExpectationReader.ReadExpect(ctx, map, subject) ?? step.Expect };
        }
        else if (map.Has("expect"))
        {
            ctx.Error(map.Get("expect")!, map.Field("expect"), step.Kind == StepKind.Wait
                ? "a wait says what it waits for in 'until', not 'expect'."
                : $"'expect' applies to run and api steps, not to a {kindName} step.");
        }

        if (step.Kind is StepKind.Run or StepKind.Api or StepKind.Action)
        {
            step = step with
            {
                Timeout = map.Duration("timeout"),
                Retry = ExpectationReader.ReadRetry(ctx, map) ?? RetryPolicy.None,
            };
        }
        else
        {
            foreach (var key in new[] { "timeout", "retry" }.Where(map.Has))
                ctx.Error(map.Get(key)!, map.Field(key), (step.Kind, key) switch
                {
                    (StepKind.Wait, "timeout") => "a wait sets its timeout inside 'wait:'.",
                    (StepKind.Wait, _) => "a wait already polls until its timeout; 'retry' does not apply.",
                    _ => $"'{key}' applies to run, api and action steps, not to a {kindName} step.",
                });
        }
        return step;
    }
}
