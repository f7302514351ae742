using System.Text.Json;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>Reads what a step does: <c>run</c>, <c>api</c>, <c>wait</c>, <c>manual</c> and <c>action</c>.</summary>
internal static class SpecReader
{
    private static readonly string[] CommandKeys = ["command", "sudo", "preserveEnv"];
    private static readonly string[] ApiKeys = ["method", "path", "body", "contentType"];
    private static readonly string[] WaitKeys = ["run", "api", "until", "every", "timeout"];
    private static readonly string[] ManualKeys = ["instructions", "requireNote"];
    private static readonly string[] ActionKeys = ["name", "with"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary><c>run: "text"</c> or <c>run: { command, sudo, preserveEnv }</c>.</summary>
    public static CommandSpec? Command(LoadContext ctx, YamlNode node, string field, bool hostInScope)
    {
        string? template;
        var sudo = false;
        var preserveEnv = false;
        var textNode = node;
        var textField = field;
        if (node is YamlMappingNode)
        {
            var map = YamlMap.Read(ctx, node, field, CommandKeys)!;
            template = map.String("command", required: true);
            textNode = map.Get("command") ?? node;
            textField = map.Field("command");
            sudo = map.Bool("sudo") ?? false;
            preserveEnv = map.Bool("preserveEnv") ?? false;
            if (preserveEnv && !sudo)
                ctx.Error(map.Get("preserveEnv")!, map.Field("preserveEnv"), "preserveEnv keeps the environment across sudo; it needs sudo: true.");
        }
        else
        {
            template = ctx.Scalar(node, field, required: true);
        }
        if (template is null)
            return null;
        ctx.CheckTemplate(template, textNode, textField, hostInScope);
        if (!hostInScope)
            ctx.Error(node, field, "a command needs a host: add on: <host parameter> or forEach: { hosts: ... }.");
        return new CommandSpec(template, sudo, preserveEnv);
    }

    public static ApiCall? Api(LoadContext ctx, YamlNode node, string field, bool hostInScope)
    {
        var map = YamlMap.Read(ctx, node, field, ApiKeys);
        if (map is null)
            return null;
        var errors = ctx.Errors.Count;

        var method = map.String("method", required: true)?.ToUpperInvariant();
        if (method is not null && !Methods.Contains(method))
            ctx.Error(map.Get("method")!, map.Field("method"), $"method must be one of {string.Join(", ", Methods)}, not '{method}'.");

        var path = map.String("path", required: true);
        if (path is not null)
        {
            if (!path.StartsWith('/'))
                ctx.Error(map.Get("path")!, map.Field("path"), "the API path must start with '/'.");
            ctx.CheckTemplate(path, map.Get("path")!, map.Field("path"), hostInScope);
        }

        var contentType = map.String("contentType");
        var body = map.String("body");
        if (body is not null)
        {
            ctx.CheckTemplate(body, map.Get("body")!, map.Field("body"), hostInScope);
            if (contentType is null || contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
                CheckJsonBody(ctx, body, map.Get("body")!, map.Field("body"));
            // A PATCH body means different things per content type (merge, JSON patch, strategic): never guess.
            if (method == "PATCH" && contentType is null)
                ctx.Error(map.Get("body")!, map.Field("contentType"),
                    "a PATCH needs a contentType (application/merge-patch+json, application/json-patch+json or application/strategic-merge-patch+json).");
        }

        return ctx.Errors.Count > errors || method is null || path is null
            ? null
            : new ApiCall { Method = method, Path = path, Body = body, ContentType = contentType };
    }

    public static WaitSpec? Wait(LoadContext ctx, YamlNode node, string field, bool hostInScope)
    {
        var map = YamlMap.Read(ctx, node, field, WaitKeys);
        if (map is null)
            return null;
        var errors = ctx.Errors.Count;
        Probe? probe = null;
        var subject = ExpectationReader.Subject.Command;
        if (map.Has("run") == map.Has("api"))
            ctx.Error(map.Node, field, "a wait polls exactly one of 'run' or 'api'.");
        else if (map.Has("run"))
            probe = Command(ctx, map.Get("run")!, map.Field("run"), hostInScope) is { } command ? new Probe { Command = command } : null;
        else
        {
            subject = ExpectationReader.Subject.Api;
            probe = Api(ctx, map.Get("api")!, map.Field("api"), hostInScope) is { } api ? new Probe { Api = api } : null;
        }

        Expectation? until = null;
        if (map.Get("until") is { } untilNode)
            until = ExpectationReader.ReadUntil(ctx, untilNode, map.Field("until"), subject);
        else
            ctx.Error(map.Node, map.Field("until"), "'until' is required: what must hold for the wait to end.");

        var every = map.Duration("every") ?? TimeSpan.FromSeconds(10);
        var timeout = map.Duration("timeout") ?? TimeSpan.FromMinutes(10);
        if (map.Has("every") && map.Has("timeout") && every > timeout)
            ctx.Error(map.Get("every")!, map.Field("every"), "the poll interval is longer than the timeout.");

        return ctx.Errors.Count > errors || probe is null || until is null
            ? null
            : new WaitSpec { Probe = probe, Until = until, Every = every, Timeout = timeout };
    }

    /// <summary><c>manual: "text"</c> or <c>manual: { instructions, requireNote }</c>.</summary>
    public static ManualSpec? Manual(LoadContext ctx, YamlNode node, string field, bool hostInScope)
    {
        if (node is YamlMappingNode)
        {
            var map = YamlMap.Read(ctx, node, field, ManualKeys)!;
            var text = map.String("instructions", required: true);
            if (text is not null)
                ctx.CheckTemplate(text, map.Get("instructions")!, map.Field("instructions"), hostInScope);
            var requireNote = map.Bool("requireNote") ?? true;
            return text is null ? null : new ManualSpec { Instructions = text, RequireNote = requireNote };
        }
        var instructions = ctx.Scalar(node, field, required: true);
        if (instructions is null)
            return null;
        ctx.CheckTemplate(instructions, node, field, hostInScope);
        return new ManualSpec { Instructions = instructions };
    }

    /// <summary><c>action: name</c> or <c>action: { name, with: { argument: value } }</c>.</summary>
    public static ActionSpec? Action(LoadContext ctx, YamlNode node, string field, bool hostInScope)
    {
        string? name;
        YamlNode nameNode = node;
        var nameField = field;
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is YamlMappingNode)
        {
            var map = YamlMap.Read(ctx, node, field, ActionKeys)!;
            name = map.String("name", required: true);
            nameNode = map.Get("name") ?? node;
            nameField = map.Field("name");
            if (map.Get("with") is { } withNode)
                ReadArguments(ctx, withNode, map.Field("with"), name, arguments, hostInScope);
        }
        else
        {
            name = ctx.Scalar(node, field, required: true);
        }
        if (name is null)
            return null;
        if (ctx.Options.KnownActions is { } known && !known.Contains(name))
        {
            ctx.Error(nameNode, nameField,
                $"unknown action '{name}'{Suggestions.DidYouMean(name, known)}; known actions: {string.Join(", ", known)}.");
            return null;
        }
        return new ActionSpec { Name = name, With = arguments };
    }

    private static void ReadArguments(LoadContext ctx, YamlNode node, string field, string? action,
        Dictionary<string, string> arguments, bool hostInScope)
    {
        IReadOnlyCollection<string>? allowed = null;
        if (action is not null)
            ctx.Options.ActionArguments?.TryGetValue(action, out allowed);
        if (node is not YamlMappingNode mapping)
        {
            ctx.Error(node, field, $"must be a mapping of argument names to values, not {LoadContext.Describe(node)}.");
            return;
        }
        // Argument names are free unless the host application declared them, so this reads the mapping directly.
        var map = YamlMap.Read(ctx, mapping, field, allowed ?? mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).ToList())!;
        foreach (var key in map.Keys)
        {
            var value = map.String(key, required: true);
            if (value is null)
                continue;
            ctx.CheckTemplate(value, map.Get(key)!, map.Field(key), hostInScope);
            arguments[key] = value;
        }
    }

    // Placeholders become 0, which is valid JSON inside a string and in place of a value, so the
    // body's structure can be checked before any value is known.
    private static void CheckJsonBody(LoadContext ctx, string body, YamlNode node, string field)
    {
        string sample;
        try
        {
            var values = TemplateRenderer.References(body).Distinct().ToDictionary(n => n, _ => "0");
            sample = TemplateRenderer.Render(body, values, Escaping.None);
        }
        catch (TemplateException)
        {
            return; // already reported by CheckTemplate
        }
        try
        {
            using var _ = JsonDocument.Parse(sample);
        }
        catch (JsonException ex)
        {
            ctx.Error(node, field, $"the body is not valid JSON: {ex.Message}");
        }
    }
}
