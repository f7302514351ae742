using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// Reads <c>compute: { name: template | { forEach, item, join, as } }</c> and the step's <c>review:</c>. Every template
/// is checked now: a placeholder that names nothing, or a value that can only be empty, is refused at load time.
/// </summary>
internal static class ComputeReader
{
    private static readonly string[] ValueKeys = ["forEach", "item", "join", "as"];

    public static ComputeSpec? Read(LoadContext ctx, YamlMap step, YamlNode node, string field, bool hostInScope)
    {
        var review = step.Bool("review") ?? false;
        if (step.Has("on") || (step.Has("forEach") && !VariableReader.IsItemLoop(step)))
            ctx.Error(node, field, "a compute step builds values once; to build one per host, put it in a forEach group.");
        if (step.Has("destructive"))
            ctx.Error(step.Get("destructive")!, step.Field("destructive"), "a compute step changes nothing on the cluster; use review: true to have its values confirmed.");
        if (node is not YamlMappingNode mapping || mapping.Children.Count == 0)
        {
            ctx.Error(node, field, "must map variable names to what they are built from: a template, or { forEach, item, join }.");
            return null;
        }
        var errors = ctx.Errors.Count;
        var values = new List<ComputedValue>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var valueField = $"{field}.{name}";
            if (!VariableReader.CheckVariableName(ctx, keyNode, valueField, name)) continue;
            var value = valueNode is YamlScalarNode
                ? Template(ctx, valueNode, valueField, name, hostInScope)
                : Joined(ctx, valueNode, valueField, name, hostInScope);
            if (value is null) continue;
            ctx.Variables.Add(name);
            values.Add(value);
        }
        return ctx.Errors.Count > errors ? null : new ComputeSpec(values, review);
    }

    private static ComputedValue? Template(LoadContext ctx, YamlNode node, string field, string name, bool hostInScope)
    {
        var template = ctx.Scalar(node, field, required: false) ?? "";
        if (template.Trim().Length == 0)
        {
            ctx.Error(node, field, $"'{name}' would be empty: give a template such as \"{{{{ recoveryHost.address }}}}\".");
            return null;
        }
        ctx.CheckTemplate(template, node, field, hostInScope);
        RefuseSecrets(ctx, template, node, field);
        return new ComputedValue { Name = name, Template = template };
    }

    private static ComputedValue? Joined(LoadContext ctx, YamlNode node, string field, string name, bool hostInScope)
    {
        var map = YamlMap.Read(ctx, node, field, ValueKeys);
        if (map is null) return null;
        var errors = ctx.Errors.Count;
        var forEach = map.String("forEach", required: true);
        if (forEach is not null && !HostSetNames.IsHostSet(forEach))
        {
            if (ctx.Parameters.TryGetValue(forEach, out var parameter))
            {
                if (parameter.Type is not (ParameterType.Host or ParameterType.HostList))
                    ctx.Error(map.Get("forEach")!, map.Field("forEach"), $"'{forEach}' is a {parameter.Type.ToString().ToLowerInvariant()} parameter; forEach takes a host set, a host or hostList parameter, or a list variable.");
            }
            else ctx.ReferVariable(forEach, map.Get("forEach")!, map.Field("forEach"));
        }
        var itemName = map.String("as") ?? "item";
        if (map.Has("as") && !VariableReader.CheckVariableName(ctx, map.Get("as")!, map.Field("as"), itemName)) return null;
        ctx.Variables.Add(itemName);
        var item = map.String("item", required: true);
        if (item is not null)
        {
            ctx.CheckTemplate(item, map.Get("item")!, map.Field("item"), hostInScope);
            RefuseSecrets(ctx, item, map.Get("item")!, map.Field("item"));
            // Only fixed names (a misspelt one is reported as unknown instead): every item would print the same.
            var references = TemplateRenderer.References(SafeReferences(item)).ToList();
            if (references.All(r => ctx.Parameters.ContainsKey(LoadContext.RootOf(r)) || BuiltInNames.IsClusterName(r) || HostSetNames.IsHostSet(r)))
                ctx.Error(map.Get("item")!, map.Field("item"), $"'item' does not use '{{{{ {itemName} }}}}': every item would render the same text.");
        }
        var join = map.String("join") ?? ",";
        return ctx.Errors.Count > errors || forEach is null || item is null ? null
            : new ComputedValue { Name = name, Template = item, ForEach = forEach, As = itemName, Join = join };
    }

    /// <summary>A computed value is stored with the run and shown for review: a secret must never become part of one.</summary>
    private static void RefuseSecrets(LoadContext ctx, string template, YamlNode node, string field)
    {
        foreach (var reference in TemplateRenderer.References(SafeReferences(template)).Distinct())
            if (ctx.Parameters.TryGetValue(LoadContext.RootOf(reference), out var parameter) && parameter.Secret)
                ctx.Error(node, field, $"'{parameter.Name}' is a secret parameter; a computed value is stored with the run and shown for review, so it cannot hold a secret (use it in the command itself).");
    }

    /// <summary>A malformed template was reported by CheckTemplate; here it only means "no references".</summary>
    private static string SafeReferences(string template)
    {
        try { _ = TemplateRenderer.References(template); return template; }
        catch (TemplateException) { return ""; }
    }
}
