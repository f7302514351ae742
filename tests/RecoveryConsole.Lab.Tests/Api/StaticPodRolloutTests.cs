using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.Tests.Api;

[Trait("Category", "Lab")]
public sealed class StaticPodRolloutTests
{
    private readonly ApiHarness _api = new();

    private static string PathOf(string resource) => $"/apis/operator.openshift.io/v1/{resource}/cluster";

    private async Task<(string Status, string Reason, string Message, long Latest, JsonArray Nodes)> ReadAsync(string resource)
    {
        var (code, body) = await _api.SendAsync("GET", PathOf(resource));
        Assert.Equal(200, code);
        var status = body["status"]!;
        var condition = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "NodeInstallerProgressing")!;
        return ((string)condition["status"]!, (string)condition["reason"]!, (string)condition["message"]!,
            (long)status["latestAvailableRevision"]!, status["nodeStatuses"]!.AsArray());
    }

    private Task<(int, JsonObject)> ForceAsync(string resource, string reason) =>
        _api.MergePatchAsync(PathOf(resource),
            new JsonObject { ["spec"] = new JsonObject { ["forceRedeploymentReason"] = reason } }.ToJsonString());

    [Theory]
    [InlineData("etcds")]
    [InlineData("kubeapiservers")]
    [InlineData("kubecontrollermanagers")]
    [InlineData("kubeschedulers")]
    public async Task All_four_operators_start_settled_at_revision_7(string resource)
    {
        var (status, reason, message, latest, nodes) = await ReadAsync(resource);
        Assert.Equal(("False", "AllNodesAtLatestRevision", "3 nodes are at revision 7", 7L), (status, reason, message, latest));
        Assert.Equal(["master-0", "master-1", "master-2"], nodes.Select(n => (string?)n!["nodeName"]).ToList());
        Assert.All(nodes, n => Assert.Equal(7, (long)n!["currentRevision"]!));
    }

    [Fact]
    public async Task Forced_redeployment_rolls_the_nodes_one_by_one()
    {
        var (code, _) = await ForceAsync("etcds", "recovery-2024-09-01T08:00:00Z");
        Assert.Equal(200, code);

        var (status, reason, message, latest, nodes) = await ReadAsync("etcds");
        Assert.Equal(("True", "NodeInstaller", "3 nodes are at revision 7; 0 nodes have achieved new revision 8", 8L), (status, reason, message, latest));
        Assert.Equal(8, (long)nodes[0]!["targetRevision"]!);
        Assert.Null(nodes[1]!["targetRevision"]);

        _api.Time.Advance(ApiHarness.Step - TimeSpan.FromSeconds(1));
        Assert.Equal("3 nodes are at revision 7; 0 nodes have achieved new revision 8", (await ReadAsync("etcds")).Message);

        _api.Time.Advance(TimeSpan.FromSeconds(1));
        (status, _, message, _, nodes) = await ReadAsync("etcds");
        Assert.Equal(("True", "2 nodes are at revision 7; 1 node is at revision 8"), (status, message));
        Assert.Equal([8L, 7L, 7L], nodes.Select(n => (long)n!["currentRevision"]!).ToList());
        Assert.Equal(8, (long)nodes[1]!["targetRevision"]!);

        _api.Time.Advance(ApiHarness.Step);
        Assert.Equal("1 node is at revision 7; 2 nodes are at revision 8", (await ReadAsync("etcds")).Message);

        _api.Time.Advance(ApiHarness.Step);
        (status, reason, message, latest, nodes) = await ReadAsync("etcds");
        Assert.Equal(("False", "AllNodesAtLatestRevision", "3 nodes are at revision 8", 8L), (status, reason, message, latest));
        Assert.All(nodes, n => Assert.Null(n!["targetRevision"]));

        // The other operators were not asked to redeploy.
        Assert.Equal("3 nodes are at revision 7", (await ReadAsync("kubeapiservers")).Message);
    }

    [Fact]
    public async Task Messages_match_the_operator_wording_from_6_to_7()
    {
        var etcd = _api.Api.Get(PathOf("etcds"))!;
        etcd["status"]!["latestAvailableRevision"] = 6;
        foreach (var node in etcd["status"]!["nodeStatuses"]!.AsArray()) node!["currentRevision"] = 6;
        var body = _api.Api.Put(PathOf("etcds"), etcd); // the stored copy carries the current resourceVersion

        body["spec"]!["forceRedeploymentReason"] = "single-master-recovery";
        Assert.Equal(200, (await _api.SendAsync("PUT", PathOf("etcds"), body)).Item1);

        _api.Time.Advance(ApiHarness.Step);
        var (status, _, message, latest, _) = await ReadAsync("etcds");
        Assert.Equal(("True", "2 nodes are at revision 6; 1 node is at revision 7", 7L), (status, message, latest));

        _api.Time.Advance(ApiHarness.Step * 2);
        (status, var reason, message, _, _) = await ReadAsync("etcds");
        Assert.Equal(("False", "AllNodesAtLatestRevision", "3 nodes are at revision 7"), (status, reason, message));
    }

    [Fact]
    public async Task Each_rollout_step_is_a_write_with_a_new_resource_version()
    {
        var before = (string?)_api.Api.Get(PathOf("kubeschedulers"))!["metadata"]!["resourceVersion"];
        await ForceAsync("kubeschedulers", "a");
        var started = (string?)(await _api.SendAsync("GET", PathOf("kubeschedulers"))).Item2["metadata"]!["resourceVersion"];
        _api.Time.Advance(ApiHarness.Step);
        var stepped = (string?)(await _api.SendAsync("GET", PathOf("kubeschedulers"))).Item2["metadata"]!["resourceVersion"];
        Assert.Equal(3, new[] { before, started, stepped }.Distinct().Count());
    }

    [Fact]
    public async Task Setting_the_same_reason_again_starts_no_rollout()
    {
        await ForceAsync("kubeapiservers", "same");
        _api.Time.Advance(ApiHarness.Step * 3);
        Assert.Equal(8, (await ReadAsync("kubeapiservers")).Latest);

        await ForceAsync("kubeapiservers", "same");
        var (status, _, message, latest, _) = await ReadAsync("kubeapiservers");
        Assert.Equal(("False", "3 nodes are at revision 8", 8L), (status, message, latest));
    }

    [Fact]
    public async Task Time_scale_shortens_the_steps()
    {
        var time = new ManualTimeProvider();
        var fast = new LabKubernetesApi(new LabClock(time, 0.1), TimeSpan.FromSeconds(30));
        LabApiSeed.Populate(fast, RecoveryConsole.Lab.Clusters.LabClusterCatalog.DemoOpenShift());
        var patch = JsonNode.Parse("""{"spec":{"forceRedeploymentReason":"fast"}}""")!.ToJsonString();
        await fast.SendAsync(new(
            "PATCH", PathOf("etcds"), patch, "application/merge-patch+json"), CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(9)); // three steps of 3 s
        var etcd = fast.Get(PathOf("etcds"))!;
        var condition = etcd["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "NodeInstallerProgressing")!;
        Assert.Equal("3 nodes are at revision 8", (string?)condition["message"]);
    }

    [Fact]
    public void Message_groups_revisions_in_ascending_order()
    {
        Assert.Equal("1 node is at revision 5; 2 nodes are at revision 9", StaticPodRolloutController.Message([9, 5, 9], 9));
        Assert.Equal("2 nodes are at revision 4; 0 nodes have achieved new revision 5", StaticPodRolloutController.Message([4, 4], 5));
    }
}
