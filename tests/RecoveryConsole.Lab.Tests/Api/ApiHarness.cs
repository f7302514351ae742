using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Api;

/// <summary>The demo cluster's API server on a hand-moved clock (rollout step 30 s, real time scale).</summary>
internal sealed class ApiHarness
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public ApiHarness()
    {
        Api = new LabKubernetesApi(new LabClock(Time, 1.0), Step);
        LabApiSeed.Populate(Api, LabClusterCatalog.DemoOpenShift());
    }

    public ManualTimeProvider Time { get; } = new();
    public LabKubernetesApi Api { get; }

    public async Task<(int Status, JsonObject Body)> SendAsync(string method, string path, JsonNode? body = null, string? contentType = null)
    {
        var response = await Api.SendAsync(new ApiRequest(method, path, body?.ToJsonString(), contentType), CancellationToken.None);
        return (response.Status, JsonNode.Parse(response.Body) as JsonObject ?? throw new InvalidOperationException(response.Body));
    }

    public Task<(int Status, JsonObject Body)> MergePatchAsync(string path, string patch) =>
        SendAsync("PATCH", path, JsonNode.Parse(patch), "application/merge-patch+json");

    public static JsonObject ConfigMap(string name, string? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels is null ? null : JsonNode.Parse(labels) },
        ["data"] = new JsonObject { ["key"] = "value" },
    };
}
