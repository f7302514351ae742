using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Parameters;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>Reads <c>parameters:</c> and registers each valid one in the context, for the name checks that follow.</summary>
internal static partial class ParameterReader
{
    private static readonly string[] Keys = ["name", "type", "from", "label", "help", "default", "required", "choices", "pattern", "patternHelp", "secret", "preflight"];

    private static readonly Dictionary<string, ParameterType> Types = new(StringComparer.Ordinal)
    {
        ["host"] = ParameterType.Host,
        ["hostList"] = ParameterType.HostList,
        ["path"] = ParameterType.Path,
        ["enum"] = ParameterType.Enum,
        ["bool"] = ParameterType.Bool,
        ["string"] = ParameterType.String,
        ["int"] = ParameterType.Int,
    };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();

    public static List<ParameterDefinition> ReadAll(LoadContext ctx, YamlMap root)
    {
        var result = new List<ParameterDefinition>();
        foreach (var (node, field) in root.List("parameters"))
        {
            var definition = Read(ctx, node, field);
            if (definition is null)
                continue;
            if (!ctx.Parameters.TryAdd(definition.Name, definition))
            {
                ctx.Error(node, $"{field}.name", $"parameter '{definition.Name}' is declared twice.");
                continue;
            }
            result.Add(definition);
        }
        return result;
    }

    private static ParameterDefinition? Read(LoadContext ctx, YamlNode node, string field)
    {
        var map = YamlMap.Read(ctx, node, field, Keys);
        if (map is null)
            return null;
        var errorsBefore = ctx.Errors.Count;

        var name = map.String("name", required: true);
        if (name is not null && !NamePattern().IsMatch(name))
        {
            ctx.Error(map.Get("name")!, map.Field("name"), $"'{name}' is not a valid name (a letter, then letters, digits or _).");
            name = null;
        }
        else if (name is not null && BuiltInNames.ReservedParameterNames.Contains(name))
        {
            ctx.Error(map.Get("name")!, map.Field("name"), $"'{name}' is reserved for the console's own values ({string.Join(", ", BuiltInNames.ReservedParameterNames)}).");
            name = null;
        }

        ParameterType? type = null;
        var typeText = map.String("type", required: true);
        if (typeText is not null)
        {
            if (Types.TryGetValue(typeText, out var t))
                type = t;
            else
                ctx.Error(map.Get("type")!, map.Field("type"),
                    $"unknown type '{typeText}'{Suggestions.DidYouMean(typeText, Types.Keys)}; use one of {string.Join(", ", Types.Keys)}.");
        }
        var isHost = type is ParameterType.Host or ParameterType.HostList;

        var from = map.String("from");
        if (from is not null)
        {
            if (type is not null && !isHost)
                ctx.Error(map.Get("from")!, map.Field("from"), "'from' applies only to host and hostList parameters.");
            else if (!HostSetNames.IsHostSet(from))
                ctx.Error(map.Get("from")!, map.Field("from"),
                    $"'{from}' is not a host set{Suggestions.DidYouMean(from, HostSetNames.All)}; use one of {string.Join(", ", HostSetNames.All)}.");
        }

        var choices = ReadChoices(ctx, map);
        if (type == ParameterType.Enum && choices.Count == 0)
            ctx.Error(map.Get("choices") ?? map.Node, map.Field("choices"), "an enum parameter needs a non-empty list of choices.");
        else if (type is not null && type != ParameterType.Enum && map.Has("choices"))
            ctx.Error(map.Get("choices")!, map.Field("choices"), "'choices' applies only to enum parameters.");

        var pattern = map.String("pattern");
        if (pattern is not null)
        {
            if (type is not null && type != ParameterType.String)
                ctx.Error(map.Get("pattern")!, map.Field("pattern"), "'pattern' applies only to string parameters.");
            else
                ctx.CheckRegex(pattern, map.Get("pattern")!, map.Field("pattern"));
        }
        if (map.Has("patternHelp") && pattern is null)
            ctx.Error(map.Get("patternHelp")!, map.Field("patternHelp"), "'patternHelp' describes a 'pattern'; this parameter has none.");

        var definition = name is null || type is null ? null : new ParameterDefinition
        {
            Name = name,
            Type = type.Value,
            Label = map.String("label") ?? "",
            Help = map.String("help") ?? "",
            Default = map.String("default"),
            Required = map.Bool("required") ?? true,
            From = isHost ? from ?? HostSetNames.AllHosts : null,
            Choices = choices,
            Pattern = pattern,
            PatternHelp = map.String("patternHelp"),
            Secret = map.Bool("secret") ?? false,
            SkipPreflight = map.Bool("preflight") == false,
        };
        if (map.Has("preflight") && type is not null && !isHost)
            ctx.Error(map.Get("preflight")!, map.Field("preflight"), "'preflight: false' applies to host parameters (hosts declared lost).");

        // A default is checked like an entered value (hosts excepted: no cluster is known yet).
        if (definition?.Default is { } value && ctx.Errors.Count == errorsBefore
            && ParameterValidator.CheckValue(definition, value, null, out _) is { } problem)
            ctx.Error(map.Get("default")!, map.Field("default"), $"the default is invalid: {problem}");

        // Returned even when other fields are wrong (the load fails anyway), so that later references
        // to this parameter do not add a cascade of "not declared" errors.
        return definition;
    }

    private static List<string> ReadChoices(LoadContext ctx, YamlMap map)
    {
        var choices = new List<string>();
        foreach (var (item, field) in map.List("choices"))
        {
            var choice = ctx.Scalar(item, field, required: true);
            if (choice is null)
                continue;
            if (choices.Contains(choice))
                ctx.Error(item, field, $"choice '{choice}' is listed twice.");
            else
                choices.Add(choice);
        }
        return choices;
    }
}
