using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Renders a <see cref="ComputedValue"/> from the values in scope. Items of a host set or host parameter are hosts of the
/// cluster (<c>{{ item.name }}</c>, <c>{{ item.address }}</c>); items of a list variable are what was captured or chosen,
/// and a text item that names a host gets that host's name and address too. A value that comes out empty or still holds
/// a placeholder is refused in words: it must never reach a host's etcd configuration.
/// </summary>
internal static class ComputedValues
{
    public static string Render(ComputedValue spec, StepScope scope, ClusterInfo cluster)
    {
        var values = scope.Host is { } host ? scope.WithHost(host) : scope.Values;
        string text;
        try
        {
            text = spec.ForEach is null
                ? TemplateRenderer.Render(spec.Template, values, Escaping.None)
                : string.Join(spec.Join, Items(spec, scope, values, cluster).Select(item => RenderItem(spec, values, item, cluster)));
        }
        catch (TemplateException e) { throw new StepFailedException($"{spec.Name}: {e.Message}"); }
        if (text.Trim().Length == 0)
            throw new StepFailedException(spec.ForEach is null
                ? $"{spec.Name} rendered empty; nothing was computed, so no later step can use it."
                : $"{spec.Name} rendered empty: '{spec.ForEach}' has no item, so no later step can use it.");
        var open = text.IndexOf("{{", StringComparison.Ordinal);
        if (open >= 0)
            throw new StepFailedException($"{spec.Name} still contains an unresolved template ('{text[open..Math.Min(text.Length, open + 40)]}'); it is not used.");
        return text;
    }

    private static IReadOnlyList<JsonNode?> Items(ComputedValue spec, StepScope scope, IReadOnlyDictionary<string, string> values, ClusterInfo cluster)
    {
        var forEach = spec.ForEach!;
        if (scope.Variables.Find(scope.Prefix, forEach) is { } variable)
            return variable is JsonArray list ? list.Select(i => i?.DeepClone()).ToList() : [variable.DeepClone()];
        if (!values.TryGetValue(forEach, out var hosts))
            throw new StepFailedException($"{spec.Name}: '{forEach}' has no value yet (no step captured or chose it).");
        var items = new List<JsonNode?>();
        foreach (var name in TemplateValues.Items(hosts))
        {
            if (cluster.FindHost(name) is null)
                throw new StepFailedException($"{spec.Name}: '{name}' (from {forEach}) is not a host of {cluster.Name}.");
            items.Add(JsonValue.Create(name));
        }
        return items;
    }

    private static string RenderItem(ComputedValue spec, IReadOnlyDictionary<string, string> scopeValues, JsonNode? item, ClusterInfo cluster)
    {
        var values = new Dictionary<string, string>(scopeValues);
        RunVariables.Flatten(spec.As, item, values, 0);
        if (item is JsonValue v && v.TryGetValue<string>(out var name))
        {
            if (cluster.FindHost(name) is { } host)
            {
                values[$"{spec.As}.name"] = host.Name;
                values[$"{spec.As}.address"] = host.Address;
            }
            else if (TemplateRenderer.References(spec.Template).Any(r => r == $"{spec.As}.name" || r == $"{spec.As}.address"))
                throw new StepFailedException($"{spec.Name}: '{name}' (from {spec.ForEach}) is not a host of {cluster.Name}, so it has no name and address.");
        }
        return TemplateRenderer.Render(spec.Template, values, Escaping.None);
    }
}
