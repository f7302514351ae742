using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Api;

// The /scale subresource (autoscaling/v1 Scale) of workloads: what `oc scale` reads and merge-patches.
public sealed partial class LabKubernetesApi
{
    private static bool IsScalable(ResourcePath path) =>
        (path.Group, path.Resource) is ("apps", "deployments" or "statefulsets" or "replicasets") or ("", "replicationcontrollers");

    private ApiResponse Scale(string method, ResourcePath path, ApiRequest request)
    {
        var current = _store.Get(path) ?? throw KubeStatus.NotFound(path);
        var scale = ToScale(path, current);
        JsonObject proposed;
        switch (method)
        {
            case "GET":
                return Ok(scale);
            case "PUT":
                proposed = ParseObject(request.Body);
                if ((string?)proposed["metadata"]?["resourceVersion"] is { } version && version != (string?)scale["metadata"]?["resourceVersion"])
                    throw KubeStatus.Conflict(path);
                break;
            case "PATCH":
                proposed = PatchDocument(path, scale, request);
                break;
            default:
                throw KubeStatus.MethodNotAllowed();
        }

        var replicas = proposed["spec"]?["replicas"];
        if (replicas is not JsonValue value || !value.TryGetValue<long>(out var count) || count < 0 || count > int.MaxValue)
            throw KubeStatus.Invalid(path, $"spec.replicas: Invalid value: {replicas?.ToJsonString() ?? "null"}: must be greater than or equal to 0");
        if (current["spec"] is not JsonObject spec)
        {
            spec = [];
            current["spec"] = spec;
        }
        spec["replicas"] = count;
        return Ok(ToScale(path, _store.Replace(path.WithoutSubresource(), current)));
    }

    private static JsonObject ToScale(ResourcePath path, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        var matchLabels = obj["spec"]?["selector"]?["matchLabels"] as JsonObject;
        var scale = new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = path.Name,
                ["namespace"] = path.Namespace,
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = (long?)obj["spec"]?["replicas"] ?? 1 },
            ["status"] = new JsonObject { ["replicas"] = (long?)obj["status"]?["replicas"] ?? 0 },
        };
        if (matchLabels is not null)
            scale["status"]!["selector"] = string.Join(",", matchLabels.Select(kv => $"{kv.Key}={(string?)kv.Value}"));
        return scale;
    }
}
