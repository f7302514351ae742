using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Expectations;
using RecoveryConsole.Procedures.Model;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// Reads what moves values through a run: <c>capture:</c>, <c>forEach: { items: }</c>, <c>repeat:</c>, <c>input:</c> and
/// <c>env:</c>. Every name they declare is registered, so templates may refer to it.
/// </summary>
internal static partial class VariableReader
{
    private static readonly string[] ItemKeys = ["items", "as", "key", "where", "mode"];
    private static readonly string[] CaptureKeys = ["regex", "json", "lines", "output", "all"];
    private static readonly string[] RepeatKeys = ["until", "max", "every"];
    private static readonly string[] InputKeys = ["name", "prompt", "type", "options", "choices", "value", "label", "preselect", "pattern", "patternHelp", "required", "maxLength"];
    private static readonly string[] OptionKeys = ["from", "value", "label"];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNamePattern();

    public static bool IsItemLoop(YamlMap map) => map.Get("forEach") is YamlMappingNode m && m.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "items");

    public static ItemLoop? ReadItemLoop(LoadContext ctx, YamlMap map)
    {
        if (!IsItemLoop(map)) return null;
        var loop = YamlMap.Read(ctx, map.Get("forEach")!, map.Field("forEach"), ItemKeys);
        if (loop is null) return null;
        var errors = ctx.Errors.Count;
        string? items = null;
        var literal = new List<string>();
        if (loop.Get("items") is YamlSequenceNode)
            literal.AddRange(loop.List("items").Select(i => ctx.Scalar(i.Node, i.Field, required: true)).OfType<string>());
        else if ((items = loop.String("items", required: true)) is not null)
        {
            if (ctx.Parameters.TryGetValue(items, out var p) && p.Type != ParameterType.HostList)
                ctx.Error(loop.Get("items")!, loop.Field("items"), $"'{items}' is a {p.Type.ToString().ToLowerInvariant()} parameter; items come from a list variable or a hostList parameter.");
            else if (!ctx.Parameters.ContainsKey(items))
                ctx.ReferVariable(items, loop.Get("items")!, loop.Field("items"));
        }
        var name = Name(ctx, loop, "as") ?? "item";
        ctx.Variables.Add(name);
        var where = loop.String("where");
        if (where is not null) StepReader.CheckCondition(ctx, loop, where, "where");
        var parallel = loop.String("mode") switch
        {
            null or "sequential" => false,
            "parallel" => true,
            var other => Error(ctx, loop, "mode", $"mode must be sequential or parallel, not '{other}'."),
        };
        return ctx.Errors.Count > errors ? null : new ItemLoop { Items = items, Literal = literal, As = name, Key = loop.String("key"), Where = where, Parallel = parallel };
    }

    /// <summary><c>capture: { name: output | lines | { regex|json|lines|output, all } }</c>.</summary>
    public static IReadOnlyList<CaptureSpec> ReadCaptures(LoadContext ctx, YamlMap map, StepDefinition step)
    {
        if (map.Get("capture") is not { } node) return [];
        if (node is not YamlMappingNode mapping)
        {
            ctx.Error(node, map.Field("capture"), "must map variable names to what they capture.");
            return [];
        }
        if (step.Kind is not (StepKind.Run or StepKind.Api or StepKind.Action))
            ctx.Error(node, map.Field("capture"), $"'capture' applies to run, api and action steps, not to a {step.Kind.ToString().ToLowerInvariant()} step.");
        if (step.Target.IsHostSet)
            ctx.Error(node, map.Field("capture"), "a step on several hosts cannot capture one value: put it in a forEach group so each host captures its own.");
        var captures = new List<CaptureSpec>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field("capture")}.{name}";
            if (!CheckVariableName(ctx, keyNode, field, name)) continue;
            var capture = valueNode is YamlScalarNode scalar
                ? scalar.Value switch
                {
                    "output" => new CaptureSpec(name, CaptureSource.Output),
                    "lines" => new CaptureSpec(name, CaptureSource.Lines, All: true),
                    var other => Invalid(ctx, valueNode, field, $"'{other}' is not a capture: write output, lines or {{ regex|json|lines|output: ... }}."),
                }
                : ReadCapture(ctx, valueNode, field, name, step);
            if (capture is null) continue;
            ctx.Variables.Add(name);
            captures.Add(capture);
        }
        return captures;
    }

    private static CaptureSpec? ReadCapture(LoadContext ctx, YamlNode node, string field, string name, StepDefinition step)
    {
        var map = YamlMap.Read(ctx, node, field, CaptureKeys);
        if (map is null) return null;
        var sources = new[] { "regex", "json", "lines", "output" }.Where(map.Has).ToList();
        if (sources.Count != 1)
            return Invalid(ctx, node, field, "a capture reads exactly one of regex, json, lines or output.");
        var all = map.Bool("all") ?? false;
        switch (sources[0])
        {
            case "regex":
                var pattern = map.String("regex", required: true);
                if (pattern is not null) ctx.CheckRegex(pattern, map.Get("regex")!, map.Field("regex"));
                return pattern is null ? null : new CaptureSpec(name, CaptureSource.Regex, pattern, all);
            case "json":
                var path = map.String("json", required: true);
                if (path is null) return null;
                try { FieldPath.Parse(path); }
                catch (FormatException ex) { return Invalid(ctx, map.Get("json")!, map.Field("json"), ex.Message); }
                return new CaptureSpec(name, CaptureSource.Json, path, all);
            case "lines":
                return new CaptureSpec(name, CaptureSource.Lines, All: true);
            default:
                // output: true (whole output) or output: <name> (an action's declared output).
                var what = map.String("output", required: true);
                if (what is null or "true") return new CaptureSpec(name, CaptureSource.Output);
                if (step.Kind != StepKind.Action)
                    return Invalid(ctx, map.Get("output")!, map.Field("output"), "only an action has named outputs; use output: true for the whole output.");
                if (step.Action is { } action && ctx.Options.ActionOutputs?.TryGetValue(action.Name, out var outputs) == true && !outputs.Contains(what))
                    return Invalid(ctx, map.Get("output")!, map.Field("output"),
                        $"action {action.Name} has no output '{what}'{Suggestions.DidYouMean(what, outputs)}; its outputs: {string.Join(", ", outputs)}.");
                return new CaptureSpec(name, CaptureSource.ActionOutput, what, all);
        }
    }

    public static RepeatSpec? ReadRepeat(LoadContext ctx, YamlMap map, StepDefinition step)
    {
        if (map.Get("repeat") is not { } node) return null;
        if (step.Kind != StepKind.Group)
            return Invalid<RepeatSpec>(ctx, node, map.Field("repeat"), "'repeat' applies to a group of steps.");
        var repeat = YamlMap.Read(ctx, node, map.Field("repeat"), RepeatKeys);
        if (repeat is null) return null;
        var until = repeat.String("until", required: true);
        if (until is not null) StepReader.CheckCondition(ctx, repeat, until, "until");
        var max = repeat.Int("max", min: 1);
        if (max is null) ctx.Error(repeat.Node, repeat.Field("max"), "'max' is required: how many rounds at most.");
        var every = repeat.Duration("every", allowZero: true) ?? TimeSpan.Zero;
        return until is null || max is null ? null : new RepeatSpec(until, max.Value, every);
    }

    public static InputSpec? ReadInput(LoadContext ctx, YamlNode node, string field, bool hostInScope)
    {
        var map = YamlMap.Read(ctx, node, field, InputKeys);
        if (map is null) return null;
        var errors = ctx.Errors.Count;
        var name = Name(ctx, map, "name", required: true);
        var prompt = map.String("prompt", required: true);
        if (prompt is not null) ctx.CheckTemplate(prompt, map.Get("prompt")!, map.Field("prompt"), hostInScope);
        var type = map.String("type") switch
        {
            null or "text" => InputType.Text,
            "choice" => InputType.Choice,
            "multiChoice" => InputType.MultiChoice,
            var other => Error(ctx, map, "type", $"type must be text, choice or multiChoice, not '{other}'.") ? InputType.Text : InputType.Text,
        };
        string? from = null, value = null, label = null;
        var choices = new List<string>();
        if (map.Get("options") is YamlMappingNode)
        {
            var options = YamlMap.Read(ctx, map.Get("options")!, map.Field("options"), OptionKeys)!;
            from = options.String("from", required: true);
            if (from is not null) ctx.ReferVariable(from, options.Get("from")!, options.Field("from"));
            value = options.String("value");
            label = options.String("label");
            if (label is not null)
            {
                ctx.Variables.Add("option");
                ctx.CheckTemplate(label, options.Get("label")!, options.Field("label"), hostInScope);
            }
        }
        else if (map.Has("options"))
            choices.AddRange(map.List("options").Select(i => ctx.Scalar(i.Node, i.Field, required: true)).OfType<string>());
        if (type != InputType.Text && from is null && choices.Count == 0)
            ctx.Error(map.Node, map.Field("options"), "a choice needs options: a list, or { from: <list variable>, value, label }.");
        if (type == InputType.Text && map.Has("options"))
            ctx.Error(map.Get("options")!, map.Field("options"), "a text input has no options; use type: choice or multiChoice.");
        var pattern = map.String("pattern");
        if (pattern is not null) ctx.CheckRegex(pattern, map.Get("pattern")!, map.Field("pattern"));
        if (map.String("preselect") is { } preselect and not ("all" or "none"))
        {
            ctx.Variables.Add("option");
            StepReader.CheckCondition(ctx, map, preselect, "preselect");
        }
        if (name is not null) ctx.Variables.Add(name);
        return ctx.Errors.Count > errors || name is null || prompt is null ? null : new InputSpec
        {
            Name = name, Prompt = prompt, Type = type, OptionsFrom = from, Choices = choices, OptionValue = value, OptionLabel = label,
            Preselect = map.String("preselect"), Pattern = pattern, PatternHelp = map.String("patternHelp"),
            Required = map.Bool("required") ?? true, MaxLength = map.Int("maxLength", min: 1) ?? 2000,
        };
    }

    /// <summary><c>env: { NAME: template }</c> on a run step or a wait that runs a command.</summary>
    public static StepDefinition ApplyEnvironment(LoadContext ctx, YamlMap map, StepDefinition step, bool hostInScope)
    {
        if (map.Get("env") is not { } node) return step;
        if (node is not YamlMappingNode mapping)
        {
            ctx.Error(node, map.Field("env"), "must map environment variable names to values.");
            return step;
        }
        var env = new List<KeyValuePair<string, string>>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field("env")}.{name}";
            if (!EnvNamePattern().IsMatch(name)) { ctx.Error(keyNode, field, $"'{name}' is not a valid environment variable name."); continue; }
            var value = ctx.Scalar(valueNode, field, required: false) ?? "";
            ctx.CheckTemplate(value, valueNode, field, hostInScope);
            env.Add(new(name, value));
        }
        if (step.Run is { } run) return step with { Run = run with { Environment = env } };
        if (step.Wait?.Probe.Command is { } probe) return step with { Wait = step.Wait with { Probe = step.Wait.Probe with { Command = probe with { Environment = env } } } };
        ctx.Error(node, map.Field("env"), "'env' applies to steps that run a command (run, or a wait that runs one).");
        return step;
    }

    private static string? Name(LoadContext ctx, YamlMap map, string key, bool required = false)
    {
        var name = map.String(key, required);
        return name is not null && CheckVariableName(ctx, map.Get(key)!, map.Field(key), name) ? name : null;
    }

    internal static bool CheckVariableName(LoadContext ctx, YamlNode node, string field, string name)
    {
        if (!NamePattern().IsMatch(name))
            ctx.Error(node, field, $"'{name}' is not a valid variable name (a letter, then letters, digits or _).");
        else if (ctx.Parameters.ContainsKey(name))
            ctx.Error(node, field, $"'{name}' is a parameter; a variable needs a name of its own.");
        else if (BuiltInNames.ReservedParameterNames.Contains(name))
            ctx.Error(node, field, $"'{name}' is reserved for the console's own values.");
        else
            return true;
        return false;
    }

    private static CaptureSpec? Invalid(LoadContext ctx, YamlNode node, string field, string message) => Invalid<CaptureSpec>(ctx, node, field, message);

    private static T? Invalid<T>(LoadContext ctx, YamlNode node, string field, string message) where T : class
    {
        ctx.Error(node, field, message);
        return null;
    }

    private static bool Error(LoadContext ctx, YamlMap map, string key, string message)
    {
        ctx.Error(map.Get(key)!, map.Field(key), message);
        return false;
    }
}
