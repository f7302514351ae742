using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Ocp4.Commands.Oc;

/// <summary>
/// oc on a lab host, for the recovery steps run where the external API does not answer: <c>whoami</c>,
/// <c>get TYPE[/NAME] [-o yaml|json|name]</c> and <c>patch TYPE NAME -p PATCH [--type merge|json|strategic]</c>,
/// talking to the server of its kubeconfig (<see cref="OcConnection"/>). Output and errors as oc prints them.
/// </summary>
internal sealed class OcCommand(Ocp4Cluster model) : ILabCommand
{
    private static readonly string[] Valued = ["--kubeconfig", "-n", "--namespace", "-o", "--output", "-p", "--patch", "--type"];

    public string Name => "oc";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var (options, words, error) = Parse(context.Args);
        if (error is not null) return await context.FailAsync(error).ConfigureAwait(false);
        if (words.Count == 0) return await context.FailAsync("error: the lab's oc knows whoami, get and patch").ConfigureAwait(false);
        if (words[0] is not ("whoami" or "get" or "patch"))
            return await context.FailAsync($"error: unknown command \"{words[0]}\" for \"oc\"").ConfigureAwait(false);

        var (connection, missing) = OcConnection.Open(model, context, options.GetValueOrDefault("--kubeconfig"));
        if (connection is null) return await context.FailAsync(missing!).ConfigureAwait(false);
        var target = words.Count > 1 ? Target(words.Skip(1).ToList()) : null;
        switch (words[0])
        {
            case "whoami":
                var (_, down) = await connection.SendAsync(new ApiRequest("GET", "/version"), needsStorage: false).ConfigureAwait(false);
                if (down is not null) return await context.FailAsync(down).ConfigureAwait(false);
                await context.OutAsync(connection.User).ConfigureAwait(false);
                return 0;
            case "get":
                if (target is not { } get) return await context.FailAsync("error: Required resource not specified.").ConfigureAwait(false);
                return await GetAsync(context, connection, get.Type, get.Name, options).ConfigureAwait(false);
            default:
                if (target is not { Name: { } name } patch) return await context.FailAsync("error: resource(s) were provided, but no name was specified").ConfigureAwait(false);
                return await PatchAsync(context, connection, patch.Type, name, options).ConfigureAwait(false);
        }
    }

    private static (string Type, string? Name)? Target(List<string> words)
    {
        var slash = words[0].IndexOf('/');
        return slash > 0 ? (words[0][..slash], words[0][(slash + 1)..]) : (words[0], words.Count > 1 ? words[1] : null);
    }

    private async Task<int> GetAsync(LabCommandContext context, OcConnection connection, string type, string? name, Dictionary<string, string> options)
    {
        if (OcResources.Find(type) is not { } resource) return await context.FailAsync($"error: the server doesn't have a resource type \"{type}\"").ConfigureAwait(false);
        var output = options.GetValueOrDefault("-o") ?? "";
        if (output is not ("" or "yaml" or "json" or "name"))
            return await context.FailAsync($"error: the lab's oc prints -o yaml, json or name, not \"{output}\"").ConfigureAwait(false);
        var ns = resource.Namespaced ? options.GetValueOrDefault("-n") ?? "default" : null;
        var path = resource.Collection(ns) + (name is null ? "" : "/" + name);
        if (await RequestAsync(context, connection, new ApiRequest("GET", path)).ConfigureAwait(false) is not { } obj) return 1;

        var items = name is null ? (obj["items"] as JsonArray ?? []).OfType<JsonObject>().ToList() : [obj];
        if (name is null && items.Count == 0 && output is "" or "name")
        {
            await context.ErrAsync(ns is null ? "No resources found" : $"No resources found in {ns} namespace.").ConfigureAwait(false);
            return 0;
        }
        switch (output)
        {
            case "yaml" or "json":
                JsonNode shown = name is not null ? obj : new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["items"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()),
                    ["kind"] = "List",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
                };
                var text = output == "yaml" ? YamlText.Render(shown) : shown.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4 }) + "\n";
                await context.Stdout.WriteAsync(text, context.CancellationToken).ConfigureAwait(false);
                return 0;
            case "name":
                foreach (var item in items) await context.OutAsync($"{resource.Qualified}/{item["metadata"]?["name"]}").ConfigureAwait(false);
                return 0;
        }
        var rows = items.Select(i => new[] { (string?)i["metadata"]?["name"] ?? "", Age((string?)i["metadata"]?["creationTimestamp"]) }).ToList();
        foreach (var line in TextTables.Tabwriter(["NAME", "AGE"], rows, minWidth: 10, padding: 3)) await context.OutAsync(line).ConfigureAwait(false);
        return 0;
    }

    private string Age(string? created) =>
        DateTimeOffset.TryParse(created, System.Globalization.CultureInfo.InvariantCulture, out var at) ? OcResources.Age(model.Clock.UtcNow - at) : "<unknown>";

    private static async Task<int> PatchAsync(LabCommandContext context, OcConnection connection, string type, string name, Dictionary<string, string> options)
    {
        if (OcResources.Find(type) is not { } resource) return await context.FailAsync($"error: the server doesn't have a resource type \"{type}\"").ConfigureAwait(false);
        if (options.GetValueOrDefault("-p") is not { } patch) return await context.FailAsync("error: must specify -p to patch").ConfigureAwait(false);
        var contentType = (options.GetValueOrDefault("--type") ?? "strategic") switch
        {
            "merge" => "application/merge-patch+json",
            "json" => "application/json-patch+json",
            "strategic" => "application/strategic-merge-patch+json",
            var other => null,
        };
        if (contentType is null)
            return await context.FailAsync($"error: --type must be one of [json merge strategic], not \"{options["--type"]}\"").ConfigureAwait(false);
        try
        {
            JsonNode.Parse(patch);
        }
        catch (JsonException e)
        {
            return await context.FailAsync($"error: unable to parse \"{patch}\": {e.Message}").ConfigureAwait(false);
        }
        var ns = resource.Namespaced ? options.GetValueOrDefault("-n") ?? "default" : null;
        var path = resource.Collection(ns) + "/" + name;
        if (await RequestAsync(context, connection, new ApiRequest("GET", path)).ConfigureAwait(false) is not { } before) return 1;
        if (await RequestAsync(context, connection, new ApiRequest("PATCH", path, patch, contentType)).ConfigureAwait(false) is not { } after) return 1;
        var changed = !JsonNode.DeepEquals(WithoutVersion(before), WithoutVersion(after));
        await context.OutAsync($"{resource.Qualified}/{name} patched{(changed ? "" : " (no change)")}").ConfigureAwait(false);
        return 0;
    }

    private static JsonNode WithoutVersion(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("resourceVersion");
        return copy;
    }

    /// <summary>The answer's object, or null after printing what oc prints for a failure.</summary>
    private static async Task<JsonObject?> RequestAsync(LabCommandContext context, OcConnection connection, ApiRequest request)
    {
        var (response, down) = await connection.SendAsync(request).ConfigureAwait(false);
        if (down is not null)
        {
            await context.ErrAsync(down).ConfigureAwait(false);
            return null;
        }
        JsonObject? body = null;
        try
        {
            body = JsonNode.Parse(response!.Body) as JsonObject;
        }
        catch (JsonException)
        {
        }
        if (response!.Status is >= 200 and < 300 && body is not null) return body;
        var reason = (string?)body?["reason"];
        var message = (string?)body?["message"] ?? response.Body.Trim();
        await context.ErrAsync(reason is { Length: > 0 } ? $"Error from server ({reason}): {message}" : $"Error from server: {message}").ConfigureAwait(false);
        return null;
    }


    /// <summary>Flags in the forms oc accepts: --flag=value, --flag value, -o=yaml, -oyaml, -p=... ; the rest are words.</summary>
    private static (Dictionary<string, string> Options, List<string> Words, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                words.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=');
            var flag = eq > 0 ? arg[..eq] : arg;
            string? value = eq > 0 ? arg[(eq + 1)..] : null;
            if (!flag.StartsWith("--", StringComparison.Ordinal) && flag.Length > 2 && value is null)
            {
                value = flag[2..]; // -oyaml, -ncluster
                flag = flag[..2];
            }
            if (!Valued.Contains(flag)) return (options, words, $"error: unknown flag: {flag}\nSee 'oc --help' for usage.");
            value ??= i + 1 < args.Count ? args[++i] : null;
            if (value is null) return (options, words, $"error: flag needs an argument: {flag}\nSee 'oc --help' for usage.");
            options[flag switch { "--namespace" => "-n", "--output" => "-o", "--patch" => "-p", _ => flag }] = value;
        }
        return (options, words, null);
    }
}
