using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>The few reads of Kubernetes objects the actions share.</summary>
internal static class KubeObjects
{
    public const string Nodes = "/api/v1/nodes";
    public const string Machines = "/apis/machine.openshift.io/v1beta1/namespaces/openshift-machine-api/machines";
    public const string ClusterOperators = "/apis/config.openshift.io/v1/clusteroperators";
    public const string Csrs = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    public static async Task<List<JsonObject>> ListAsync(IKubernetesApi api, string path, CancellationToken cancellationToken)
    {
        var response = await api.SendAsync(new ApiRequest("GET", path), cancellationToken);
        if (!response.IsSuccess) throw new StepFailedException($"GET {path} answered HTTP {response.Status}.");
        return (JsonNode.Parse(response.Body)?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    /// <summary>Like ListAsync, but an API that does not answer (yet) gives null instead of failing the step.</summary>
    public static async Task<List<JsonObject>?> TryListAsync(IKubernetesApi api, string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await api.SendAsync(new ApiRequest("GET", path), cancellationToken);
            return response.IsSuccess ? (JsonNode.Parse(response.Body)?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList() : null;
        }
        catch (ApiUnreachableException) { return null; }
    }

    /// <summary>The API server's own sentence of a refusal (a Status' message), else the body as it came.</summary>
    public static string ServerMessage(string body)
    {
        try { return (string?)JsonNode.Parse(body)?["message"] ?? body; }
        catch (System.Text.Json.JsonException) { return body; }
    }

    public static string Name(JsonObject o) => (string?)o["metadata"]?["name"] ?? "?";

    public static string? Condition(JsonObject o, string type) =>
        (o["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type)?["status"]?.GetValue<string>();

    public static bool IsReady(JsonObject node) => Condition(node, "Ready") == "True";

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>A list argument: a list value from a template, or names separated by commas or spaces.</summary>
    public static IReadOnlyList<string> ListArgument(ActionContext context, string name) =>
        context.Argument(name, "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
