using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>
/// <c>oc login https://localhost:6443 -u kubeadmin -p PASSWORD</c> (writes the user's ~/.kube/config; no terminal, so
/// no prompt: without -u/-p the prompt reads end of input), <c>whoami</c>, and <c>create -f FILE</c> (the tokenized
/// etcd-signer pod of 3.2.1). Every verb but login needs a login first.
/// </summary>
internal static partial class Ocp42Oc
{
    /// <summary>The cluster's own release, what <c>oc adm release info</c> without an image reads.</summary>
    public const string CurrentRelease = "quay.io/openshift-release-dev/ocp-release:4.3.40-x86_64";

    private static string KubeconfigPath(LabCommandContext c) => (c.Privileged ? "/root" : c.Host.HomeDirectory) + "/.kube/config";

    private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static async Task<int> LoginAsync(Ocp42Cluster model, LabCommandContext c, string server, Dictionary<string, string> options)
    {
        await c.OutAsync($"Authentication required for {server} (openshift)");
        var user = options.GetValueOrDefault("-u");
        var password = options.GetValueOrDefault("-p");
        if (user is null || password is null)
        {
            // No terminal: the prompt reads end of input.
            await c.OutAsync("Username: " + (user ?? ""));
            await c.ErrAsync("error: EOF");
            return 1;
        }
        if (!await ServingAsync(model, c)) return 1;
        if (user != "kubeadmin" || password != model.KubeadminPassword)
        {
            await c.ErrAsync("Login failed (401 Unauthorized)");
            await c.ErrAsync("Verify you have provided correct credentials.");
            return 1;
        }
        var token = "sha256~" + Sha("token " + model.KubeadminPassword + c.Host.Name)[..43];
        c.Host.FileSystem.WriteFile(KubeconfigPath(c),
            $"apiVersion: v1\nclusters:\n- cluster:\n    server: {server}\n  name: localhost:6443\ncontexts:\n- context:\n    cluster: localhost:6443\n    user: kube:admin/localhost:6443\n  name: default/localhost:6443/kube:admin\ncurrent-context: default/localhost:6443/kube:admin\nkind: Config\nusers:\n- name: kube:admin/localhost:6443\n  user:\n    token: {token}\n");
        await c.OutAsync("Login successful.");
        await c.OutAsync("");
        await c.OutAsync("You have access to 53 projects, the list has been suppressed. You can list all projects with 'oc projects'");
        await c.OutAsync("");
        await c.OutAsync("Using project \"default\".");
        return 0;
    }

    private static async Task<bool> LoggedInAsync(LabCommandContext c)
    {
        if (c.Host.FileSystem.FileExists(KubeconfigPath(c))) return true;
        await c.ErrAsync("error: Missing or incomplete configuration info.  Please point to an existing, complete config file:");
        await c.ErrAsync("");
        await c.ErrAsync("  1. Via the command-line flag --kubeconfig");
        await c.ErrAsync("  2. Via the KUBECONFIG environment variable");
        await c.ErrAsync("  3. In your home directory as ~/.kube/config");
        await c.ErrAsync("");
        await c.ErrAsync("To view or setup config directly use the 'config' command.");
        return false;
    }

    private static async Task<bool> ServingAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (model.ApiServing) return true;
        await c.ErrAsync("Error from server (InternalError): etcdserver: request timed out");
        return false;
    }

    /// <summary>oc create -f: the file's object POSTed to its collection, through the API server of this cluster.</summary>
    private static async Task<int> CreateAsync(Ocp42Cluster model, LabCommandContext c, string? file)
    {
        if (file is null)
        {
            await c.ErrAsync("error: must specify one of -f and -k");
            return 1;
        }
        if (!c.Host.FileSystem.TryReadFile(c.ResolvePath(file), out var text))
        {
            await c.ErrAsync($"error: the path \"{file}\" does not exist");
            return 1;
        }
        JsonObject obj;
        try
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            obj = ToJson(yaml.Documents[0].RootNode) as JsonObject ?? throw new FormatException("not an object");
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or FormatException or ArgumentOutOfRangeException)
        {
            await c.ErrAsync($"error: error parsing {file}: {e.Message}");
            return 1;
        }
        var kind = (string?)obj["kind"];
        var name = (string?)obj["metadata"]?["name"];
        var ns = (string?)obj["metadata"]?["namespace"] ?? "default";
        if (kind != "Pod" || name is null)
        {
            await c.ErrAsync($"error: the lab's oc create -f creates pods, not {kind ?? "(no kind)"}");
            return 1;
        }
        ApiResponse response;
        try
        {
            response = await model.Cluster.Api.SendAsync(new ApiRequest("POST", $"/api/v1/namespaces/{ns}/pods", obj.ToJsonString(), "application/json"), c.CancellationToken);
        }
        catch (ApiUnreachableException e)
        {
            await c.ErrAsync($"The connection to the server localhost:6443 was refused - did you specify the right host or port? ({e.Message})");
            return 1;
        }
        if (response.Status is >= 200 and < 300)
        {
            await c.OutAsync($"pod/{name} created");
            return 0;
        }
        var body = JsonNode.Parse(response.Body) as JsonObject;
        await c.ErrAsync($"Error from server ({(string?)body?["reason"] ?? response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}): {(string?)body?["message"] ?? response.Body}");
        return 1;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: "true" or "false" } s when s.Style == YamlDotNet.Core.ScalarStyle.Plain => JsonValue.Create(s.Value == "true"),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };
}
