using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Ocp4.Commands.Oc;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>
/// oc on a 4.2/4.3 master, for what 003 runs there: <c>login</c>, <c>whoami</c> and <c>create -f</c> (3.2.1, the etcd
/// signer; <see cref="Ocp42Oc"/>.Login.cs), <c>adm release info [RELEASE] --image-for=NAME</c> (without RELEASE: the
/// cluster's own, which needs a login and the API), and, while the API's certificates are expired (3.4.1),
/// <c>get TYPE NAME [-n NS] [--template=GO-TEMPLATE]</c> and <c>patch TYPE NAME -p PATCH --type=merge</c>. Requests go to the server of the kubeconfig oc finds (--kubeconfig, else
/// KUBECONFIG, else ~/.kube/config): localhost:7443 is the recovery API server, which answers only on the master it was
/// created on (and while etcd has quorum); any other server is the cluster's API, refused with x509 while expired.
/// </summary>
internal static partial class Ocp42Oc
{
    private static readonly string[] Valued = ["--kubeconfig", "-n", "--namespace", "-p", "--patch", "--type", "--template", "-o", "--output",
        "--registry-config", "--image-for", "-u", "--username", "--password", "-f", "--filename"];
    private static readonly string[] Switches = ["--insecure-skip-tls-verify"];

    private static readonly (OcResource Resource, string[] Names)[] Known =
    [
        (new("", "v1", "namespaces", "Namespace", false), ["namespace", "ns"]),
        (new("", "v1", "configmaps", "ConfigMap", true), ["configmap", "cm"]),
        (new("operator.openshift.io", "v1", "kubeapiservers", "KubeAPIServer", false), ["kubeapiserver"]),
        (new("operator.openshift.io", "v1", "kubecontrollermanagers", "KubeControllerManager", false), ["kubecontrollermanager"]),
        (new("operator.openshift.io", "v1", "kubeschedulers", "KubeScheduler", false), ["kubescheduler"]),
    ];

    public static async Task<int> RunAsync(Ocp42Cluster model, LabCommandContext c)
    {
        var (options, words, error) = Parse(c.Args);
        if (error is not null) return await c.FailAsync(error);
        switch (words)
        {
            case ["login", ..]:
                return await LoginAsync(model, c, words.Count > 1 ? words[1] : "https://localhost:6443", options);
            case ["whoami"]:
                if (!await LoggedInAsync(c)) return 1;
                await c.OutAsync("kube:admin");
                return 0;
            case ["create"]:
                if (!await LoggedInAsync(c)) return 1;
                return await CreateAsync(model, c, options.GetValueOrDefault("-f"));
            case ["adm", "release", "info"]:
                // The cluster's own release: read from the API, so a login and a serving API are needed.
                if (!await LoggedInAsync(c) || !await ServingAsync(model, c)) return 1;
                return await ReleaseInfoAsync(c, [CurrentRelease], options);
            case ["adm", "release", "info", .. var rest]:
                return await ReleaseInfoAsync(c, rest, options);
            case ["get", var type, var name]:
                return await GetAsync(model, c, type, name, options);
            case ["patch", var type, var name]:
                return await PatchAsync(model, c, type, name, options);
            default:
                return await c.FailAsync("error: the lab's oc on 4.2/4.3 hosts runs 'login', 'whoami', 'create -f', 'adm release info', 'get TYPE NAME' and 'patch TYPE NAME'");
        }
    }

    /// <summary><c>oc adm release info [--registry-config=FILE] RELEASE --image-for=NAME</c>: one component's pull spec.</summary>
    private static async Task<int> ReleaseInfoAsync(LabCommandContext c, IReadOnlyList<string> rest, Dictionary<string, string> options)
    {
        if (rest is not [var release, ..]) return await c.FailAsync("error: specify a release image as an argument");
        if (options.GetValueOrDefault("--registry-config") is { } registry && !c.Host.FileSystem.FileExists(c.ResolvePath(registry)))
            return await c.FailAsync($"error: unable to load --registry-config: open {registry}: no such file or directory");
        if (!Ocp42Release.IsRelease(release)) return await c.FailAsync($"error: unable to read image {release}: manifest unknown: manifest unknown");
        if (options.GetValueOrDefault("--image-for") is not { } imageFor)
            return await c.FailAsync("error: the lab's oc prints a release's components one at a time: add --image-for=NAME");
        if (!Ocp42Release.Components.TryGetValue(imageFor, out var pullSpec))
            return await c.FailAsync($"error: no image tag \"{imageFor}\" exists in the release image {release}");
        await c.OutAsync(pullSpec);
        return 0;
    }

    private static async Task<int> GetAsync(Ocp42Cluster model, LabCommandContext c, string type, string name, Dictionary<string, string> options)
    {
        if (Find(type) is not { } resource) return await c.FailAsync($"error: the server doesn't have a resource type \"{type}\"");
        var path = resource.Collection(resource.Namespaced ? options.GetValueOrDefault("-n") ?? "default" : null) + "/" + name;
        if (await RequestAsync(model, c, options, new ApiRequest("GET", path)) is not { } obj) return 1;
        if (options.GetValueOrDefault("--template") is { } template)
        {
            await c.Stdout.WriteAsync(GoTemplate(template, obj), c.CancellationToken);
            return 0;
        }
        var age = DateTimeOffset.TryParse((string?)obj["metadata"]?["creationTimestamp"], System.Globalization.CultureInfo.InvariantCulture, out var at)
            ? OcResources.Age(model.Now - at) : "<unknown>";
        var namespaced = resource.Plural == "namespaces";
        string[] header = namespaced ? ["NAME", "STATUS", "AGE"] : ["NAME", "AGE"];
        string[] row = namespaced ? [name, (string?)obj["status"]?["phase"] ?? "Active", age] : [name, age];
        foreach (var line in Ocp4.Commands.TextTables.Tabwriter(header, new List<IReadOnlyList<string>> { row }, minWidth: 10, padding: 3)) await c.OutAsync(line);
        return 0;
    }

    private static async Task<int> PatchAsync(Ocp42Cluster model, LabCommandContext c, string type, string name, Dictionary<string, string> options)
    {
        if (Find(type) is not { } resource) return await c.FailAsync($"error: the server doesn't have a resource type \"{type}\"");
        if (options.GetValueOrDefault("-p") is not { } patch) return await c.FailAsync("error: must specify -p to patch");
        if (options.GetValueOrDefault("--type") is not "merge")
            return await c.FailAsync("error: the lab's oc applies merge patches only (--type=merge), as the document does");
        try { JsonNode.Parse(patch); }
        catch (JsonException e) { return await c.FailAsync($"error: unable to parse \"{patch}\": {e.Message}"); }
        var path = resource.Collection(resource.Namespaced ? options.GetValueOrDefault("-n") ?? "default" : null) + "/" + name;
        if (await RequestAsync(model, c, options, new ApiRequest("PATCH", path, patch, "application/merge-patch+json")) is null) return 1;
        await c.OutAsync($"{resource.Qualified}/{name} patched");
        return 0;
    }

    /// <summary>The answer's object, or null after printing what oc prints when nothing answered or the server refused.</summary>
    private static async Task<JsonObject?> RequestAsync(Ocp42Cluster model, LabCommandContext c, Dictionary<string, string> options, ApiRequest request)
    {
        if (Server(c, options.GetValueOrDefault("--kubeconfig")) is not { } server)
        {
            await c.FailAsync(OcConnection.MissingConfig);
            return null;
        }
        ApiResponse response;
        var hostPort = Regex.Replace(server, "^https?://", "");
        if (hostPort is "localhost:7443" or "127.0.0.1:7443")
        {
            if (!model.RecoveryApiserverOn(c.Host.Name))
            {
                await c.ErrAsync($"The connection to the server {hostPort} was refused - did you specify the right host or port?");
                return null;
            }
            response = model.SendToRecoveryApiserver(request);
        }
        else
        {
            try { response = await model.Cluster.Api.SendAsync(request, c.CancellationToken); }
            catch (ApiUnreachableException e)
            {
                await c.ErrAsync($"Unable to connect to the server: {e.Message[(e.Message.IndexOf("could not be reached: ", StringComparison.Ordinal) + "could not be reached: ".Length)..]}");
                return null;
            }
        }
        JsonObject? body = null;
        try { body = JsonNode.Parse(response.Body) as JsonObject; }
        catch (JsonException) { }
        if (response.Status is >= 200 and < 300 && body is not null) return body;
        var reason = (string?)body?["reason"];
        var message = (string?)body?["message"] ?? response.Body.Trim();
        await c.ErrAsync(reason is { Length: > 0 } ? $"Error from server ({reason}): {message}" : $"Error from server: {message}");
        return null;
    }

    /// <summary>The server of the first kubeconfig found, as client-go looks for it; null when there is none.</summary>
    private static string? Server(LabCommandContext c, string? explicitPath)
    {
        var files = c.Host.FileSystem;
        IEnumerable<string> candidates = explicitPath is not null ? [explicitPath]
            : c.Environment.TryGetValue("KUBECONFIG", out var list) && list.Length > 0 ? list.Split(':', StringSplitOptions.RemoveEmptyEntries)
            : [(c.Privileged ? "/root" : c.Host.HomeDirectory) + "/.kube/config"];
        foreach (var candidate in candidates)
            if (files.TryReadFile(c.ResolvePath(candidate), out var text) && ServerPattern().Match(text) is { Success: true } m)
                return m.Groups[1].Value;
        return null;
    }

    /// <summary>The Go template actions the document uses: <c>{{ index .data "key" }}</c> and <c>{{ .a.b }}</c>; a missing value prints "&lt;no value&gt;".</summary>
    internal static string GoTemplate(string template, JsonObject obj) => GoAction().Replace(template, m =>
    {
        JsonNode? node = obj;
        var path = m.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in path) node = node?[part];
        if (m.Groups["key"].Success) node = node?[m.Groups["key"].Value];
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "<no value>";
    });

    private static OcResource? Find(string type)
    {
        var name = type.ToLowerInvariant();
        return Known.FirstOrDefault(k => k.Names.Contains(name) || k.Resource.Plural == name || k.Resource.Qualified == name).Resource;
    }


    /// <summary>Flags as oc takes them (--flag=value, --flag value, -p=...); the rest are words.</summary>
    private static (Dictionary<string, string> Options, List<string> Words, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                words.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=');
            var flag = eq > 0 ? arg[..eq] : arg;
            if (Switches.Contains(flag)) continue;
            if (!Valued.Contains(flag)) return (options, words, $"error: unknown flag: {flag}\nSee 'oc --help' for usage.");
            var value = eq > 0 ? arg[(eq + 1)..] : i + 1 < args.Count ? args[++i] : null;
            if (value is null) return (options, words, $"error: flag needs an argument: {flag}\nSee 'oc --help' for usage.");
            // -p is login's password and patch's patch: each verb reads it as its own.
            options[flag switch { "--namespace" => "-n", "--patch" or "--password" => "-p", "--output" => "-o", "--username" => "-u", "--filename" => "-f", _ => flag }] = value;
        }
        return (options, words, null);
    }

    [GeneratedRegex(@"(?m)^\s*server:\s*(\S+)\s*$")]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"\{\{\s*(?:index\s+\.(?<path>[\w.]*)\s+""(?<key>[^""]+)""|\.(?<path>[\w.]+))\s*\}\}")]
    private static partial Regex GoAction();
}
