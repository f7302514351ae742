using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Objects;

/// <summary>deleteObjects on the hosted management cluster lab-mgmt-a over HTTPS, whose API keeps objects with finalizers Terminating.</summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class DeleteObjectsActionTests
{
    private const string Cluster = "lab-mgmt-a";
    private const string NodePools = "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools";
    private const string Pool = "hosted-1-workers";

    private const string Delete = """
        id: delete-objects
        title: Delete node pools
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        parameters:
          - { name: names, type: string, required: false }
          - { name: selector, type: string, required: false }
          - { name: all, type: string, required: false }
          - { name: removeFinalizers, type: string, default: "false" }
          - { name: ifMissing, type: string, required: false }
          - { name: waitGone, type: string, default: "0" }
        steps:
          - id: delete
            title: Delete them
            section: "1"
            action:
              name: deleteObjects
              with:
                apiVersion: hypershift.openshift.io/v1beta1
                resource: nodepools
                namespace: clusters
                names: "{{ names }}"
                selector: "{{ selector }}"
                all: "{{ all }}"
                removeFinalizers: "{{ removeFinalizers }}"
                ifMissing: "{{ ifMissing }}"
                waitGone: "{{ waitGone }}"
            capture:
              deleted: { output: deleted }
              count: { output: count }
        """;

    [Fact]
    public async Task An_object_held_by_finalizers_stays_terminating_until_they_are_removed_first()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Delete]);
        Assert.NotEmpty(JsonNode.Parse((await GetAsync(drill, Pool)).Body)!["metadata"]!["finalizers"]!.AsArray());

        var held = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["names"] = Pool, ["waitGone"] = "2m" }, Cluster));

        Assert.Equal(RunStatus.Failed, held.Status);
        Assert.Contains($"still there: nodepools/{Pool}", held.FindStep("delete")!.Message);
        Assert.Contains("did not happen within 2m", held.FindStep("delete")!.Message);
        var terminating = await GetAsync(drill, Pool);
        Assert.True(terminating.IsSuccess, terminating.Body);
        Assert.NotNull(JsonNode.Parse(terminating.Body)!["metadata"]!["deletionTimestamp"]);
        Assert.Contains(await drill.TranscriptAsync(held.Id), l => l.Text.Contains("Terminating: finalizers hypershift.openshift.io/finalizer still hold it", StringComparison.Ordinal));

        var run = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["names"] = Pool, ["removeFinalizers"] = "true", ["waitGone"] = "1m" }, Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(404, (await GetAsync(drill, Pool)).Status);
        var outputs = JsonNode.Parse(run.FindStep("delete")!.OutputsJson!)!["values"]!;
        Assert.Equal(Pool, (string?)outputs["deleted"]![0]);
        Assert.Equal(1, (int)outputs["count"]!);
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Text.Contains("PATCH", StringComparison.Ordinal) && l.Text.Contains($"nodepools/{Pool}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_name_fails_before_anything_is_deleted_unless_told_to_skip()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Delete]);

        var failed = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["names"] = $"{Pool} no-such-pool", ["removeFinalizers"] = "true" }, Cluster));

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("not found in clusters: no-such-pool. Nothing was deleted", failed.FindStep("delete")!.Message);
        var kept = await GetAsync(drill, Pool);
        Assert.True(kept.IsSuccess, kept.Body);
        Assert.Null(JsonNode.Parse(kept.Body)!["metadata"]!["deletionTimestamp"]);
        Assert.NotEmpty(JsonNode.Parse(kept.Body)!["metadata"]!["finalizers"]!.AsArray());

        var skipped = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["names"] = $"{Pool} no-such-pool", ["removeFinalizers"] = "true", ["ifMissing"] = "skip" }, Cluster));

        Assert.True(skipped.Status == RunStatus.Succeeded, await drill.ExplainAsync(skipped));
        Assert.Equal(404, (await GetAsync(drill, Pool)).Status);
        Assert.Equal(1, (int)JsonNode.Parse(skipped.FindStep("delete")!.OutputsJson!)!["values"]!["count"]!);
    }

    [Fact]
    public async Task A_selector_that_matches_nothing_deletes_nothing_and_all_takes_every_object()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Delete]);

        var none = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["selector"] = "app=nothing-here" }, Cluster));
        Assert.True(none.Status == RunStatus.Succeeded, await drill.ExplainAsync(none));
        Assert.Equal(0, (int)JsonNode.Parse(none.FindStep("delete")!.OutputsJson!)!["values"]!["count"]!);
        Assert.True((await GetAsync(drill, Pool)).IsSuccess);

        var mustMatch = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["selector"] = "app=nothing-here", ["ifMissing"] = "fail" }, Cluster));
        Assert.Equal(RunStatus.Failed, mustMatch.Status);
        Assert.Contains("No nodepools matched in clusters with selector app=nothing-here", mustMatch.FindStep("delete")!.Message);

        var ambiguous = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["names"] = Pool, ["all"] = "true" }, Cluster));
        Assert.Equal(RunStatus.Failed, ambiguous.Status);
        Assert.Contains("exactly one of 'names', 'selector' or all", ambiguous.FindStep("delete")!.Message);
        Assert.True((await GetAsync(drill, Pool)).IsSuccess);

        var all = await drill.DriveAsync(await drill.StartRunAsync("delete-objects", new() { ["all"] = "true", ["removeFinalizers"] = "true", ["waitGone"] = "30s" }, Cluster));
        Assert.True(all.Status == RunStatus.Succeeded, await drill.ExplainAsync(all));
        var list = JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", NodePools), default)).Body)!;
        Assert.Empty(list["items"]!.AsArray());
    }

    private const string DeleteNamespace = """
        id: delete-namespace
        title: Delete a namespace
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        steps:
          - id: delete
            title: Delete it
            section: "1"
            action:
              name: deleteObjects
              with: { apiVersion: v1, resource: namespaces, names: drill-scratch, waitGone: 1m }
        """;

    [Fact]
    public async Task A_cluster_scoped_object_is_deleted_without_a_namespace()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [DeleteNamespace]);
        var created = await drill.Cluster.Api.SendAsync(new ApiRequest("POST", "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"drill-scratch"}}""", "application/json"), default);
        Assert.True(created.IsSuccess, created.Body);

        var run = await drill.DriveAsync(await drill.StartRunAsync("delete-namespace", new(), Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(404, (await drill.Cluster.Api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/drill-scratch"), default)).Status);
        Assert.Contains(await drill.TranscriptAsync(run.Id), l => l.Text.EndsWith("→ DELETE /api/v1/namespaces/drill-scratch", StringComparison.Ordinal));
    }

    private static Task<ApiResponse> GetAsync(ProcedureDrill drill, string name) =>
        drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"{NodePools}/{name}"), default);
}
