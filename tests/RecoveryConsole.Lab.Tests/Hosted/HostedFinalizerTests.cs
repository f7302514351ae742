using System.Text.Json.Nodes;
using static RecoveryConsole.Lab.Tests.Hosted.HostedHarness;

namespace RecoveryConsole.Lab.Tests.Hosted;

/// <summary>
/// Finalizers as a real API server keeps them, on the hosted estate: objects whose controllers are stopped stay
/// Terminating until their finalizers are removed; the hypershift operator finalizes the HostedCluster itself.
/// </summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class HostedFinalizerTests
{
    [Fact]
    public async Task A_node_pool_with_finalizers_stays_terminating_until_they_are_removed()
    {
        var lab = new HostedHarness();

        var deleted = await lab.MustApiAsync(A, "DELETE", Np);

        Assert.NotNull(deleted["metadata"]!["deletionTimestamp"]);
        var terminating = await lab.MustApiAsync(A, "GET", Np);
        Assert.Equal((string?)deleted["metadata"]!["deletionTimestamp"], (string?)terminating["metadata"]!["deletionTimestamp"]);
        // A second delete changes nothing; a write cannot clear deletionTimestamp.
        await lab.MustApiAsync(A, "DELETE", Np);
        await lab.MergePatchAsync(A, Np, """{"metadata":{"labels":{"drill":"yes"}}}""");
        Assert.NotNull((await lab.MustApiAsync(A, "GET", Np))["metadata"]!["deletionTimestamp"]);

        await lab.MustApiAsync(A, "PATCH", Np, """[{"op":"remove","path":"/metadata/finalizers"}]""", "application/json-patch+json");

        Assert.Equal(404, (await lab.ApiAsync(A, "GET", Np)).Status);
    }

    [Fact]
    public async Task Deleting_the_hosted_cluster_runs_the_operators_finalizer_and_another_finalizer_still_holds_it()
    {
        var lab = new HostedHarness();
        await lab.MergePatchAsync(A, Hc, """{"metadata":{"finalizers":["hypershift.openshift.io/finalizer","example.com/backup-guard"]}}""");

        await lab.MustApiAsync(A, "DELETE", Hc);

        var hc = await lab.MustApiAsync(A, "GET", Hc);
        Assert.NotNull(hc["metadata"]!["deletionTimestamp"]);
        Assert.Equal(["example.com/backup-guard"], hc["metadata"]!["finalizers"]!.AsArray().Select(f => (string)f!).ToList());
        Assert.Empty(await lab.PodsAsync(A, "app=etcd")); // the control plane went with the operator's finalizer
        Assert.Empty(await lab.PodsAsync(A, "app=kube-apiserver"));

        await lab.MergePatchAsync(A, Hc, """{"metadata":{"finalizers":null}}""");

        Assert.Equal(404, (await lab.ApiAsync(A, "GET", Hc)).Status);
        Assert.Empty(await lab.PodsAsync(A, "app=etcd"));
    }

    [Fact]
    public async Task Scaling_down_an_etcd_statefulset_whose_claims_go_when_scaled_deletes_the_removed_members_claims()
    {
        var lab = new HostedHarness();
        await lab.MergePatchAsync(A, Hc, """{"spec":{"pausedUntil":"true"}}""");
        const string Claims = $"/api/v1/namespaces/{Cp}/persistentvolumeclaims";
        await lab.MergePatchAsync(A, $"/apis/apps/v1/namespaces/{Cp}/statefulsets/etcd", """{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenScaled":"Delete"}}}""");

        await lab.ScaleAsync(A, "statefulset/etcd", 1);

        var claims = (await lab.MustApiAsync(A, "GET", Claims))["items"]!.AsArray().Select(c => (string)c!["metadata"]!["name"]!).ToList();
        Assert.Equal(["data-etcd-0"], claims);
        await lab.ScaleAsync(A, "statefulset/etcd", 3);
        await lab.WaitUntilAsync("three ready etcd members", async () => (await lab.PodsAsync(A, "app=etcd")).Count(Ready) == 3);
        Assert.Equal(3, (await lab.MustApiAsync(A, "GET", Claims))["items"]!.AsArray().Count);
    }
}
