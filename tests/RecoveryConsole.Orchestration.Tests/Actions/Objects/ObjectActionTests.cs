using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Objects;

/// <summary>saveObjects and applyObjects on the hosted management cluster lab-mgmt-a over HTTPS with the real client.</summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class ObjectActionTests
{
    private const string Cluster = "lab-mgmt-a";
    private const string NodePools = "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools";

    private const string Save = """
        id: save-objects
        title: Save the node pools
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        steps:
          - id: save
            title: Save them
            section: "1"
            action:
              name: saveObjects
              with: { apiVersion: hypershift.openshift.io/v1beta1, resource: nodepools, namespace: clusters, set: pools, transforms: "stripStatus; stripServerFields" }
            capture:
              saved: { output: artifacts }
        """;

    private const string Apply = """
        id: apply-objects
        title: Create the saved node pools
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        parameters:
          - { name: fromRun, type: string }
          - { name: transforms, type: string, default: stripStatus }
          - { name: ifExists, type: string, default: fail }
        steps:
          - id: apply
            title: Create them
            section: "2"
            action:
              name: applyObjects
              with: { set: pools, fromRun: "{{ fromRun }}", transforms: "{{ transforms }}", ifExists: "{{ ifExists }}" }
            capture:
              created: { output: created }
              skipped: { output: skipped }
        """;

    [Fact]
    public async Task Saved_objects_are_stripped_of_server_fields_and_created_again_with_transforms()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Save, Apply]);
        var saveRun = await drill.DriveAsync(await drill.StartRunAsync("save-objects", new(), Cluster));
        Assert.True(saveRun.Status == RunStatus.Succeeded, await drill.ExplainAsync(saveRun));
        var store = drill.Engine.Services.GetRequiredService<IArtifactStore>();
        var manifest = (await store.ListAsync(saveRun.Id, default)).Single();
        Assert.Equal("nodepools-clusters-hosted-1-workers.json", manifest.Name);
        Assert.Equal("pools", manifest.Labels["objectSet"]);
        JsonObject saved;
        await using (var read = await store.OpenAsync(saveRun.Id, manifest.Name, default))
            saved = (await JsonNode.ParseAsync(read))!.AsObject();
        Assert.Equal("NodePool", (string?)saved["kind"]);
        Assert.Null(saved["status"]);
        Assert.Null(saved["metadata"]!["resourceVersion"]);
        Assert.Null(saved["metadata"]!["uid"]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("apply-objects", new()
        {
            ["fromRun"] = saveRun.Id.ToString(), ["transforms"] = "set metadata.name=hosted-1-copy; set spec.replicas=0",
        }, Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var created = await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"{NodePools}/hosted-1-copy"), default);
        Assert.True(created.IsSuccess, created.Body);
        var copy = JsonNode.Parse(created.Body)!;
        Assert.Equal(0, (int)copy["spec"]!["replicas"]!);
        Assert.Equal((string?)saved["spec"]!["clusterName"], (string?)copy["spec"]!["clusterName"]);
        Assert.Contains("hosted-1-copy", run.FindStep("apply")!.OutputsJson);
    }

    [Fact]
    public async Task An_object_already_there_fails_the_step_unless_told_to_skip()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Save, Apply]);
        var saveRun = await drill.DriveAsync(await drill.StartRunAsync("save-objects", new(), Cluster));

        var failed = await drill.DriveAsync(await drill.StartRunAsync("apply-objects", new() { ["fromRun"] = saveRun.Id.ToString() }, Cluster));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("HTTP 409", failed.FindStep("apply")!.Message);

        var skipped = await drill.DriveAsync(await drill.StartRunAsync("apply-objects", new() { ["fromRun"] = saveRun.Id.ToString(), ["ifExists"] = "skip" }, Cluster));
        Assert.True(skipped.Status == RunStatus.Succeeded, await drill.ExplainAsync(skipped));
        Assert.Contains("hosted-1-workers", skipped.FindStep("apply")!.OutputsJson);
    }

    [Fact]
    public async Task A_tampered_manifest_is_not_applied()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Save, Apply]);
        var saveRun = await drill.DriveAsync(await drill.StartRunAsync("save-objects", new(), Cluster));
        var store = (FileArtifactStore)drill.Engine.Services.GetRequiredService<IArtifactStore>();
        var file = Path.Combine(store.Root, saveRun.Id.ToString(), "nodepools-clusters-hosted-1-workers.json");
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, text.Replace("hosted-1-workers", "hosted-1-workerz", StringComparison.Ordinal));

        var run = await drill.DriveAsync(await drill.StartRunAsync("apply-objects", new() { ["fromRun"] = saveRun.Id.ToString() }, Cluster));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("failed its check", run.FindStep("apply")!.Message);
        Assert.False((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"{NodePools}/hosted-1-workerz"), default)).IsSuccess);
    }

    [Fact]
    public async Task A_transform_that_is_not_understood_fails_the_step_in_words()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Save, Apply]);
        var saveRun = await drill.DriveAsync(await drill.StartRunAsync("save-objects", new(), Cluster));

        var run = await drill.DriveAsync(await drill.StartRunAsync("apply-objects", new() { ["fromRun"] = saveRun.Id.ToString(), ["transforms"] = "strip everything" }, Cluster));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("'strip everything' is not a transform", run.FindStep("apply")!.Message);
    }

    private const string MoveSecret = """
        id: move-secret
        title: Save a secret and create it in another namespace
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        steps:
          - id: save
            title: Save it
            section: "1"
            action:
              name: saveObjects
              with: { apiVersion: v1, resource: secrets, namespace: clusters, names: hosted-1-etcd-encryption-key, set: keys, transforms: "stripServerFields" }
          - id: apply
            title: Create it again
            section: "2"
            action:
              name: applyObjects
              with: { set: keys, namespace: clusters-hosted-1 }
        """;

    [Fact]
    public async Task A_secret_re_created_from_its_manifest_never_shows_its_data_in_the_transcript()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [MoveSecret]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("move-secret", new(), Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var moved = await drill.Cluster.Api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/clusters-hosted-1/secrets/hosted-1-etcd-encryption-key"), default);
        Assert.True(moved.IsSuccess, moved.Body);
        var key = (string)JsonNode.Parse(moved.Body)!["data"]!["key"]!;
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Text == "(the body of a Secret is not shown)");
        Assert.DoesNotContain(lines, l => l.Text.Contains(key, StringComparison.Ordinal));
    }

    private const string ScaleDown = """
        id: scale-down
        title: Scale the API servers down
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        parameters:
          - { name: replicas, type: string }
        steps:
          - id: scale
            title: Scale
            section: "1"
            action:
              name: scale
              with: { kind: deployments, namespace: clusters-hosted-1, names: "kube-apiserver openshift-apiserver", replicas: "{{ replicas }}" }
            capture:
              before: { output: previous }
        """;

    [Fact]
    public async Task Scale_sets_replicas_through_the_scale_subresource_and_reports_what_they_were()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [ScaleDown]);
        const string Deployments = "/apis/apps/v1/namespaces/clusters-hosted-1/deployments";
        // Paused, as the procedures do first: otherwise the hypershift operator puts the replicas back at once.
        var paused = await drill.Cluster.Api.SendAsync(new ApiRequest("PATCH", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1",
            """{"spec":{"pausedUntil":"true"}}""", "application/merge-patch+json"), default);
        Assert.True(paused.IsSuccess, paused.Body);
        var had = (int)JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"{Deployments}/kube-apiserver"), default)).Body)!["spec"]!["replicas"]!;

        var run = await drill.DriveAsync(await drill.StartRunAsync("scale-down", new() { ["replicas"] = "0" }, Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        foreach (var name in new[] { "kube-apiserver", "openshift-apiserver" })
            Assert.Equal(0, (int)JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"{Deployments}/{name}"), default)).Body)!["spec"]!["replicas"]!);
        Assert.Contains($"\"kube-apiserver\":{had}", run.FindStep("scale")!.OutputsJson);

        var refused = await drill.DriveAsync(await drill.StartRunAsync("scale-down", new() { ["replicas"] = "-1" }, Cluster));
        Assert.Equal(RunStatus.Failed, refused.Status);
        Assert.Contains("not a whole number", refused.FindStep("scale")!.Message);
    }

    private const string Pause = """
        id: pause
        title: Pause reconciliation
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        parameters:
          - { name: patch, type: string }
        steps:
          - id: pause
            title: Pause
            section: "1"
            action:
              name: patch
              with: { apiVersion: hypershift.openshift.io/v1beta1, resource: hostedclusters, namespace: clusters, name: hosted-1, patch: "{{ patch }}" }
        """;

    [Fact]
    public async Task Patch_merges_into_the_object_and_refuses_a_patch_that_is_not_a_json_object()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Pause]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("pause", new() { ["patch"] = """{"spec":{"pausedUntil":"true"}}""" }, Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var hc = JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1"), default)).Body)!;
        Assert.Equal("true", (string?)hc["spec"]!["pausedUntil"]);
        Assert.NotNull(hc["spec"]!["release"]);
        Assert.Contains(await drill.TranscriptAsync(run.Id), l => l.Text.StartsWith("""hostedclusters/hosted-1 patched with {"spec":{"pausedUntil":"true"}} (resourceVersion """, StringComparison.Ordinal));

        var refused = await drill.DriveAsync(await drill.StartRunAsync("pause", new() { ["patch"] = "pausedUntil: true" }, Cluster));
        Assert.Equal(RunStatus.Failed, refused.Status);
        Assert.Contains("not valid JSON", refused.FindStep("pause")!.Message);
    }
}
