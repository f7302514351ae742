using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// What an approval covers, as canonical text and its SHA-256: the procedure version, cluster, step instance, target hosts
/// with addresses, every command and API call of the step and its children rendered per host (a template whose values are
/// only captured later is shown as the template), action arguments, and the values the templates use. Computed when the
/// approval is asked and again when the step starts; any difference voids the approval. Secrets are redacted first.
/// </summary>
internal sealed record ApprovalBinding(string Text, string Hash, IReadOnlyList<BoundPreview> Previews)
{
    /// <summary>
    /// Makes an action's preview (an <see cref="Actions.IPreviewableAction"/>: the diff of a file it edits) for one part at
    /// one scope from its rendered arguments; null when the part's action has none.
    /// </summary>
    public delegate Task<Actions.ActionPreview?> PreviewMaker(StepDefinition part, StepScope scope, IReadOnlyDictionary<string, string> arguments);

    public static async Task<ApprovalBinding> DescribeAsync(string procedure, ClusterInfo cluster, StepDefinition step, string instance,
        IReadOnlyList<HostInfo> hosts, IReadOnlyList<string>? items, StepScope scope, Redactor redactor,
        IReadOnlyDictionary<string, string>? roles = null, PreviewMaker? preview = null)
    {
        var previews = new List<BoundPreview>();
        // A multi-cluster run binds which cluster each API request and action goes to: the same call to another cluster is another approval.
        roles ??= new Dictionary<string, string>();
        string On(StepDefinition part) => roles.Count == 0 ? "" : $" on {roles.GetValueOrDefault(part.Cluster ?? roles.Keys.First(), "?")}";
        var text = new StringBuilder();
        var used = new SortedSet<string>(StringComparer.Ordinal);
        text.Append("procedure ").AppendLine(procedure);
        text.Append("cluster ").AppendLine(cluster.Name);
        if (roles.Count > 0) text.Append("clusters ").AppendLine(RunClusters.Describe(roles));
        text.Append("step ").Append(instance).Append(": ").AppendLine(step.Title);
        if (hosts.Count > 0) text.Append("hosts ").AppendLine(string.Join(", ", hosts.Select(h => $"{h.Name} {h.Address}")));
        if (items is not null) text.Append("items ").AppendLine(items.Count == 0 ? "(none)" : string.Join(", ", items));
        foreach (var (label, where, host) in Contexts(step, instance, hosts, items, scope))
        {
            if (label is not null) text.AppendLine(label);
            foreach (var part in step.Kind == StepKind.Group ? step.SelfAndDescendants().Skip(1) : [step])
            {
                var partHosts = part == step && hosts.Count > 0 ? hosts : HostsOf(part, cluster, where, host);
                Render(part, partHosts, where, text, used, On(part));
                if (preview is not null && await PreviewAsync(part, where, preview, redactor) is { } bound)
                {
                    text.Append(bound.Block);
                    previews.Add(bound);
                }
            }
        }
        var values = scope.Values;
        foreach (var name in used)
            if (values.TryGetValue(name, out var value)) text.Append("value ").Append(name).Append(" = ").AppendLine(value);
        var redacted = redactor.Redact(text.ToString());
        return new ApprovalBinding(redacted, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(redacted))), previews);
    }

    /// <summary>
    /// The preview of an action part as the binding shows it: each line under "PATH preview:", redacted. A part whose
    /// arguments are only known later gets none now; the action then finds its preview missing from the approval and refuses.
    /// </summary>
    private static async Task<BoundPreview?> PreviewAsync(StepDefinition part, StepScope scope, PreviewMaker preview, Redactor redactor)
    {
        if (part.Action is not { } action) return null;
        Dictionary<string, string> args;
        try { args = action.With.ToDictionary(kv => kv.Key, kv => TemplateRenderer.Render(kv.Value, scope.Values, Escaping.None)); }
        catch (TemplateException) { return null; }
        if (await preview(part, scope, args) is not { } made) return null;
        return new BoundPreview(Block(part.Path, made.Text, redactor), made.Changed);
    }

    /// <summary>The text a preview adds to a binding; the engine looks for the same block in an approval before the action runs.</summary>
    public static string Block(string partPath, string preview, Redactor redactor)
    {
        var block = new StringBuilder();
        block.Append(partPath).Append(" preview:\n");
        foreach (var line in preview.TrimEnd('\n').Split('\n')) block.Append("  | ").Append(line).Append('\n');
        return redactor.Redact(block.ToString());
    }

    /// <summary>Where the step's parts run: once per item of a loop, once per host of a per-host group, or once.</summary>
    private static IEnumerable<(string? Label, StepScope Scope, HostInfo? Host)> Contexts(StepDefinition step, string instance,
        IReadOnlyList<HostInfo> hosts, IReadOnlyList<string>? items, StepScope scope)
    {
        if (items is not null)
            // The loop set each item's value in the item's layer before asking; each item is shown as it will run.
            return items.Select(key => ((string?)$"item {key}", scope.At(InstancePaths.Iteration(instance, key)), scope.Host));
        if (hosts.Count > 0 && step.Kind == StepKind.Group)
            return hosts.Select(h => ((string?)null, scope.ForHost(InstancePaths.Iteration(instance, h.Name), h), (HostInfo?)h));
        return [(null, scope, null)];
    }

    private static IReadOnlyList<HostInfo> HostsOf(StepDefinition part, ClusterInfo cluster, StepScope scope, HostInfo? enclosing)
    {
        if (part.Target.Mode == TargetMode.Cluster) return enclosing is null ? [] : [enclosing];
        try { return HostResolver.Resolve(part.Target, cluster, scope); }
        catch (StepFailedException) { return enclosing is null ? [] : [enclosing]; }
    }

    private static void Render(StepDefinition part, IReadOnlyList<HostInfo> hosts, StepScope scope, StringBuilder text, ISet<string> used, string on)
    {
        var command = part.Run ?? part.Wait?.Probe.Command;
        if (command is not null)
        {
            Use(command.Template, used);
            foreach (var e in command.Environment) Use(e.Value, used);
            foreach (var host in hosts.Count > 0 ? hosts : scope.Host is { } h ? [h] : [])
                text.Append(part.Path).Append(" on ").Append(host.Name).Append(": $ ")
                    .AppendLine(Try(() => CommandRenderer.Render(command, scope.WithHost(host)), command.Template));
        }
        if ((part.Api ?? part.Wait?.Probe.Api) is { } api)
        {
            Use(api.Path, used);
            if (api.Body is not null) Use(api.Body, used);
            var values = scope.Host is { } h ? scope.WithHost(h) : scope.Values;
            var rendered = Try(() => { var r = CommandRenderer.Render(api, values); return $"{r.Method} {r.Path} {r.Body}"; },
                $"{api.Method} {api.Path} {api.Body}");
            text.Append(part.Path).Append(on).Append(" api: ").AppendLine(rendered.TrimEnd());
        }
        if (part.Action is { } action)
        {
            foreach (var v in action.With.Values) Use(v, used);
            var args = action.With.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key,
                kv => Try(() => TemplateRenderer.Render(kv.Value, scope.Values, Escaping.None), kv.Value));
            text.Append(part.Path).Append(on).Append(" action ").Append(action.Name).Append(' ').AppendLine(JsonSerializer.Serialize(args));
        }
    }

    private static void Use(string template, ISet<string> used)
    {
        try { foreach (var name in TemplateRenderer.References(template)) used.Add(name); }
        catch (TemplateException) { } // the loader checked templates; a malformed one fails when the step runs
    }

    /// <summary>A value captured later in the step is not known yet: the approver sees the template for that part.</summary>
    private static string Try(Func<string> render, string template)
    {
        try { return render(); }
        catch (TemplateException) { return $"(completed when it runs) {template}"; }
    }
}

/// <summary>A preview as bound into an approval: its block of binding text, and why a different one voids the approval.</summary>
internal sealed record BoundPreview(string Block, string Changed);
