using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Objects;

/// <summary>
/// scale and a StatefulSet whose persistentVolumeClaimRetentionPolicy.whenScaled is Delete (document 002 8.6.4 step 1):
/// the lab's controller deletes the claims of the pods a scale-down removes, so the action refuses before scaling anything.
/// </summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class ScaleRetentionTests
{
    private const string Cluster = "lab-mgmt-a";
    private const string Cp = "clusters-hosted-1";
    private const string StatefulSets = $"/apis/apps/v1/namespaces/{Cp}/statefulsets";
    private const string Claims = $"/api/v1/namespaces/{Cp}/persistentvolumeclaims";

    private const string ScaleAll = """
        id: scale-all
        title: Scale every workload of a kind
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        parameters:
          - { name: kind, type: string }
          - { name: replicas, type: string }
        steps:
          - id: scale
            title: Scale
            section: "1"
            action:
              name: scale
              with: { kind: "{{ kind }}", namespace: clusters-hosted-1, all: "true", replicas: "{{ replicas }}" }
            capture:
              before: { output: previous }
        """;

    [Fact]
    public async Task A_statefulset_that_deletes_its_claims_when_scaled_down_is_refused_and_nothing_is_scaled()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [ScaleAll]);
        await PauseAsync(drill);
        // Another StatefulSet, first in name order: the refusal of etcd must come before it is scaled.
        await MustAsync(drill, "POST", StatefulSets, """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"aaa-cache"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"aaa-cache"}}}}""");
        await SetWhenScaledAsync(drill, "Delete");

        var refused = await drill.DriveAsync(await drill.StartRunAsync("scale-all", new() { ["kind"] = "statefulsets", ["replicas"] = "0" }, Cluster));

        Assert.Equal(RunStatus.Failed, refused.Status);
        var message = refused.FindStep("scale")!.Message!;
        Assert.Contains("statefulsets/etcd in clusters-hosted-1 has persistentVolumeClaimRetentionPolicy.whenScaled: Delete", message);
        Assert.Contains("Set it to Retain first", message);
        Assert.Contains("make sure no controller", message);
        Assert.EndsWith("Nothing was scaled.", message);
        Assert.Equal(2, await ReplicasAsync(drill, "aaa-cache"));
        Assert.Equal(3, await ReplicasAsync(drill, "etcd"));
        Assert.Equal(["data-etcd-0", "data-etcd-1", "data-etcd-2"], await ClaimNamesAsync(drill));

        // What the refusal prevents, as the lab records it: a scale-down straight through the API takes the claims.
        await MustAsync(drill, "PATCH", $"{StatefulSets}/etcd/scale", """{"spec":{"replicas":1}}""", "application/merge-patch+json");
        Assert.Equal(["data-etcd-0"], await ClaimNamesAsync(drill));
        await MustAsync(drill, "PATCH", $"{StatefulSets}/etcd/scale", """{"spec":{"replicas":3}}""", "application/merge-patch+json");

        // With Retain, as the refusal says, the same step scales and keeps every claim.
        await SetWhenScaledAsync(drill, "Retain");
        var run = await drill.DriveAsync(await drill.StartRunAsync("scale-all", new() { ["kind"] = "statefulsets", ["replicas"] = "0" }, Cluster));
        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(0, await ReplicasAsync(drill, "aaa-cache"));
        Assert.Equal(0, await ReplicasAsync(drill, "etcd"));
        Assert.Equal(["data-etcd-0", "data-etcd-1", "data-etcd-2"], await ClaimNamesAsync(drill));
        Assert.Contains("\"aaa-cache\":2", run.FindStep("scale")!.OutputsJson);
        Assert.Contains("\"etcd\":3", run.FindStep("scale")!.OutputsJson);
    }

    [Fact]
    public async Task Scaling_up_a_statefulset_that_deletes_claims_is_not_refused_and_all_takes_every_deployment()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [ScaleAll]);
        await PauseAsync(drill);
        await SetWhenScaledAsync(drill, "Delete");

        var up = await drill.DriveAsync(await drill.StartRunAsync("scale-all", new() { ["kind"] = "statefulsets", ["replicas"] = "3" }, Cluster));
        Assert.True(up.Status == RunStatus.Succeeded, await drill.ExplainAsync(up));

        var run = await drill.DriveAsync(await drill.StartRunAsync("scale-all", new() { ["kind"] = "deployments", ["replicas"] = "0" }, Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var deployments = JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"/apis/apps/v1/namespaces/{Cp}/deployments"), default)).Body)!["items"]!.AsArray();
        Assert.Contains(deployments, d => (string?)d!["metadata"]!["name"] == "control-plane-operator");
        Assert.All(deployments, d => Assert.Equal(0, (int)d!["spec"]!["replicas"]!));
        foreach (var name in new[] { "kube-apiserver", "openshift-apiserver", "openshift-oauth-apiserver", "control-plane-operator" })
            Assert.Contains($"\"{name}\":", run.FindStep("scale")!.OutputsJson);
    }

    private static Task PauseAsync(ProcedureDrill drill) =>
        MustAsync(drill, "PATCH", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1", """{"spec":{"pausedUntil":"true"}}""", "application/merge-patch+json");

    private static Task SetWhenScaledAsync(ProcedureDrill drill, string policy) =>
        MustAsync(drill, "PATCH", $"{StatefulSets}/etcd", "{\"spec\":{\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Retain\",\"whenScaled\":\"" + policy + "\"}}}", "application/merge-patch+json");

    private static async Task MustAsync(ProcedureDrill drill, string method, string path, string body, string contentType = "application/json")
    {
        var answer = await drill.Cluster.Api.SendAsync(new ApiRequest(method, path, body, contentType), default);
        Assert.True(answer.IsSuccess, $"{method} {path}: {answer.Status} {answer.Body}");
    }

    private static async Task<int> ReplicasAsync(ProcedureDrill drill, string name) =>
        (int)JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"{StatefulSets}/{name}"), default)).Body)!["spec"]!["replicas"]!;

    private static async Task<List<string>> ClaimNamesAsync(ProcedureDrill drill) =>
        JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", Claims), default)).Body)!["items"]!.AsArray()
            .Select(c => (string)c!["metadata"]!["name"]!).Order(StringComparer.Ordinal).ToList();
}
