using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// Reads <c>on:</c> / <c>forEach:</c> of a step or check. Names must resolve now, at load time: a
/// misspelt recovery host must not turn into "run on a host called recoverHost" in the middle of a restore.
/// </summary>
internal static partial class TargetReader
{
    private static readonly string[] ForEachKeys = ["hosts", "except", "mode", "maxSkew"];

    // Kubernetes node names are lowercase RFC 1123 subdomains; parameter names are camelCase, so a
    // misspelt parameter is almost never mistaken for a literal host.
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex HostNamePattern();

    /// <summary>The explicit target, or null when the map has neither key. <paramref name="hostInScope"/>: an enclosing group has a current host.</summary>
    public static StepTarget? Read(LoadContext ctx, YamlMap map, bool hostInScope)
    {
        // forEach over items is a loop, not a target: it combines with on.
        var hostLoop = map.Has("forEach") && !VariableReader.IsItemLoop(map);
        if (map.Has("on") && hostLoop)
        {
            ctx.Error(map.Get("forEach")!, map.Field("forEach"), "use either 'on' or 'forEach', not both.");
            return null;
        }
        if (map.Has("on"))
            return ReadOn(ctx, map, hostInScope);
        if (hostLoop)
            return ReadForEach(ctx, map, hostInScope);
        return null;
    }

    private static StepTarget? ReadOn(LoadContext ctx, YamlMap map, bool hostInScope)
    {
        var name = map.String("on", required: true);
        if (name is null)
            return null;
        var node = map.Get("on")!;
        var field = map.Field("on");
        if (name == BuiltInNames.Host)
        {
            if (hostInScope)
                return new StepTarget(TargetMode.One, Host: name);
            ctx.Error(node, field, "'host' is the current host of an enclosing on/forEach group, and there is none here.");
            return null;
        }
        if (ctx.Parameters.TryGetValue(name, out var parameter))
        {
            if (parameter.Type == ParameterType.Host)
                return new StepTarget(TargetMode.One, Host: name);
            ctx.Error(node, field, parameter.Type == ParameterType.HostList
                ? $"'{name}' is a list of hosts; use forEach: {{ hosts: {name} }}."
                : $"'{name}' is a {parameter.Type.ToString().ToLowerInvariant()} parameter, not a host parameter.");
            return null;
        }
        if (HostSetNames.IsHostSet(name))
        {
            ctx.Error(node, field, $"'{name}' is a set of hosts; use forEach: {{ hosts: {name} }}.");
            return null;
        }
        var suggestion = Suggestions.DidYouMean(name, HostParameters(ctx));
        // A literal close to a host parameter's name (recoveryhost) is far more likely a typo than a host.
        if (HostNamePattern().IsMatch(name) && suggestion.Length == 0)
            return new StepTarget(TargetMode.One, Host: name);
        ctx.Error(node, field, HostNamePattern().IsMatch(name)
            ? $"'{name}' is not a host parameter{suggestion}; a literal host name must not resemble a parameter's name."
            : $"'{name}' is neither a host parameter nor a valid host name{suggestion}.");
        return null;
    }

    private static StepTarget? ReadForEach(LoadContext ctx, YamlMap map, bool hostInScope)
    {
        var forEach = YamlMap.Read(ctx, map.Get("forEach")!, map.Field("forEach"), ForEachKeys);
        if (forEach is null)
            return null;
        var ok = true;

        // hosts: one name or an ordered list (recovery host first, then the other control-plane hosts, then workers);
        // each a host set, role:<name>, a host or hostList parameter. Repeats are dropped, the first place wins.
        var hostNames = Names(ctx, forEach, "hosts");
        if (hostNames.Count == 0 && !forEach.Has("hosts"))
            ctx.Error(forEach.Node, forEach.Field("hosts"), "'hosts' is required: a host set, role:<name>, or a host or hostList parameter.");
        foreach (var name in hostNames)
        {
            if (HostSetNames.IsHostSet(name) || name.StartsWith(HostSetNames.RolePrefix, StringComparison.Ordinal)
                || (ctx.Parameters.TryGetValue(name, out var list) && list.Type is ParameterType.HostList or ParameterType.Host))
                continue;
            var candidates = HostSetNames.All.Concat(ctx.Parameters.Values.Where(p => p.Type is ParameterType.HostList or ParameterType.Host).Select(p => p.Name));
            ctx.Error(forEach.Get("hosts")!, forEach.Field("hosts"),
                $"'{name}' is neither a host set ({string.Join(", ", HostSetNames.All)}, role:<name>) nor a host or hostList parameter{Suggestions.DidYouMean(name, candidates)}.");
            ok = false;
        }
        ok &= hostNames.Count > 0;
        var hosts = string.Join(",", hostNames);

        // except: host or hostList parameters (the recovery host, the hosts declared lost).
        var exceptNames = Names(ctx, forEach, "except");
        foreach (var name in exceptNames)
        {
            if ((name == BuiltInNames.Host && hostInScope)
                || (ctx.Parameters.TryGetValue(name, out var excluded) && excluded.Type is ParameterType.Host or ParameterType.HostList))
                continue;
            ctx.Error(forEach.Get("except")!, forEach.Field("except"),
                $"'{name}' is not a host or hostList parameter{Suggestions.DidYouMean(name, HostParameters(ctx))}.");
            ok = false;
        }
        var except = exceptNames.Count == 0 ? null : string.Join(",", exceptNames);

        var mode = TargetMode.EachInTurn;
        switch (forEach.String("mode"))
        {
            case null or "sequential": break;
            case "parallel": mode = TargetMode.AllAtOnce; break;
            case "together": mode = TargetMode.Together; break;
            case var other:
                ctx.Error(forEach.Get("mode")!, forEach.Field("mode"), $"mode must be sequential, parallel or together, not '{other}'.");
                ok = false;
                break;
        }
        // maxSkew bounds how far apart the hosts may start; it means nothing unless they start together.
        TimeSpan? maxSkew = null;
        if (forEach.Has("maxSkew"))
        {
            if (mode != TargetMode.Together)
            {
                // A misspelt mode was reported already: saying maxSkew needs together would only repeat it.
                if (ok) ctx.Error(forEach.Get("maxSkew")!, forEach.Field("maxSkew"), "'maxSkew' bounds the start skew of mode: together; add mode: together or remove it.");
                ok = false;
            }
            else if ((maxSkew = forEach.Duration("maxSkew")) is null)
                ok = false;
        }
        return ok ? new StepTarget(mode, Hosts: hosts, Except: except, MaxSkew: maxSkew) : null;
    }

    /// <summary>
    /// mode: together starts one command on every host behind a barrier: a group has no single start to hold back, and a
    /// retried host would start alone, long after the others.
    /// </summary>
    public static void CheckTogether(LoadContext ctx, YamlMap map, StepDefinition step)
    {
        if (step.Target.Mode != TargetMode.Together) return;
        if (step.Kind != StepKind.Run)
            ctx.Error(map.Get("forEach")!, map.Field("forEach"),
                $"mode: together starts one command on every host at the same moment; it applies to run steps, not to a {step.Kind.ToString().ToLowerInvariant()} step.");
        else if (step.Retry.Attempts > 1)
            ctx.Error(map.Get("retry")!, map.Field("retry"), "'retry' does not combine with mode: together: a retried host would start alone, after the others.");
    }

    private static List<string> Names(LoadContext ctx, YamlMap map, string key) => map.Get(key) switch
    {
        null => [],
        YamlSequenceNode => map.List(key).Select(i => ctx.Scalar(i.Node, i.Field, required: true)).OfType<string>().Distinct().ToList(),
        _ => map.String(key, required: true) is { } one ? [one] : [],
    };

    private static IEnumerable<string> HostParameters(LoadContext ctx) =>
        ctx.Parameters.Values.Where(p => p.Type == ParameterType.Host).Select(p => p.Name);
}
