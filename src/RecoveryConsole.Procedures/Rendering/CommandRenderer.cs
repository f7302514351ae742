using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Rendering;

/// <summary>Turns a step's command or API call into what is actually sent, with every value escaped for its place.</summary>
public static class CommandRenderer
{
    /// <summary>
    /// The command line for a host. <c>sudo</c> is a prefix, exactly as an operator would type it, so in a
    /// pipeline it covers the first command only; <c>-E</c> keeps the caller's environment (proxy variables).
    /// </summary>
    public static string Render(CommandSpec command, IReadOnlyDictionary<string, string> values)
    {
        var line = TemplateRenderer.Render(command.Template, values, Escaping.Shell);
        // env: NAME=value words before the command (after sudo unless -E keeps the caller's environment); an
        // entry that renders empty is left out, so an unset proxy is not exported as "".
        var env = string.Concat(command.Environment
            .Where(e => TemplateRenderer.Render(e.Value, values, Escaping.None).Length > 0)
            .Select(e => $"{e.Key}={TemplateRenderer.Render(e.Value, values, Escaping.Shell)} "));
        if (!command.Sudo)
            return env + line;
        return command.PreserveEnvironment ? $"{env}sudo -E {line}" : $"sudo {env}{line}";
    }

    /// <summary>The API call with its path URL-escaped and its body JSON-escaped.</summary>
    public static ApiCall Render(ApiCall call, IReadOnlyDictionary<string, string> values) => call with
    {
        Path = TemplateRenderer.Render(call.Path, values, Escaping.Url),
        Body = call.Body is null ? null : TemplateRenderer.Render(call.Body, values, Escaping.Json),
    };
}
