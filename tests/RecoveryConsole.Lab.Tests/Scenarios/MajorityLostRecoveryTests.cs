using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Scenarios;

/// <summary>Scenario 1, recovered with section 5.3.2.2 of the document, judged by the lab's health model.</summary>
[Trait("Category", "Lab")]
public sealed class MajorityLostRecoveryTests
{
    private const string Scenario = "ocp4-control-plane-majority-lost";

    [Fact]
    public async Task The_fault_shows_as_lost_quorum_an_api_that_cannot_serve_and_unreachable_hosts()
    {
        var lab = new Ocp4Harness(Scenario);

        var health = lab.Health();
        Assert.False(health.Healthy);
        Assert.True(health.Has("etcd-quorum-lost"), health.ToString());
        Assert.Contains("1 of 3 voting members run, 2 are needed", health.Of("etcd-quorum-lost").Single().Message);
        Assert.Equal(["master-1", "master-2"], health.Of("host-down").Select(p => p.Subject).ToList());
        Assert.True(health.Has("api-no-storage"), health.ToString());

        // What a client sees: /version answers (no etcd needed), reads time out in etcd.
        Assert.Equal(200, (await lab.ApiAsync("GET", "/version")).Status);
        var (status, body) = await lab.ApiAsync("GET", "/api/v1/nodes");
        Assert.Equal(500, status);
        Assert.Equal("etcdserver: request timed out", (string?)body!["message"]);
        await Assert.ThrowsAsync<HostUnreachableException>(() => lab.RunAsync("master-1", "true"));
        var (code, _, stderr) = await lab.RunAsync("master-0", "etcdctl endpoint health -w json");
        Assert.Equal(1, code);
        Assert.Equal("Error: unhealthy cluster", stderr[^1]);
    }

    [Fact]
    public async Task The_documented_restore_brings_the_cluster_back_to_the_state_of_the_backup()
    {
        var lab = new Ocp4Harness(Scenario);
        var steps = new DocumentSteps(lab);
        var oldClusterId = lab.Model.LiveEtcd!.ClusterId;

        // Steps 1-4: master-0 is the recovery host; the other two are lost, so there is nothing to stop on them.
        // Step 6: keepalived moved the API VIP to the recovery host when master-1 went down.
        Assert.True(await steps.OwnsApiVipAsync("master-0"));
        // Step 8.
        var output = await steps.RestoreAsync("master-0");
        Assert.Contains("starting restore-etcd static pod", output);

        // A new single-member cluster with a new cluster id; the API serves the backup's objects.
        await lab.WaitUntilAsync("the API to serve again", async () => await steps.NotReadyNodesAsync() is not null);
        Assert.NotEqual(oldClusterId, lab.Model.LiveEtcd!.ClusterId);
        Assert.Single(lab.Model.LiveEtcd.Members);
        Assert.Equal(404, (await lab.ApiAsync("GET", "/api/v1/namespaces/team-sandbox")).Status); // created after the backup
        Assert.Equal(200, (await lab.ApiAsync("GET", "/api/v1/namespaces/shop/configmaps/storefront-config")).Status); // deleted after it
        Assert.True(lab.Health().Has("etcd-restore-pod"));

        // Step 9: the kubelet certificates were renewed after the backup: master-0 is NotReady.
        var notReady = await steps.NotReadyNodesAsync();
        Assert.Contains("master-0", notReady!);
        Assert.Contains("x509: certificate signed by unknown authority", lab.Health().Of("node-not-ready").Single(p => p.Subject == "master-0").Message);
        await steps.ClearKubeletPkiAsync("master-0");
        // Step 10 (the other control-plane hosts are lost), step 11: client CSR first, serving CSR after it.
        await steps.RestartKubeletAsync("master-0");
        var approved = await steps.ApproveCsrsUntilNonePendingAsync();
        Assert.Equal(
            ["kubernetes.io/kube-apiserver-client-kubelet system:serviceaccount:openshift-machine-config-operator:node-bootstrapper", "kubernetes.io/kubelet-serving system:node:master-0"],
            approved);
        Assert.DoesNotContain("master-0", (await steps.NotReadyNodesAsync())!);

        // Step 12.
        Assert.Single(await steps.RunningEtcdAsync("master-0"));
        // The mirror pods of the lost hosts come back with the backup's objects, not ready: one etcd pod is.
        var ready = (await steps.EtcdPodsAsync()).Where(p => p["status"]!["conditions"]!.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True")).ToList();
        Assert.Equal("etcd-master-0", (string?)Assert.Single(ready)["metadata"]!["name"]);
        // Steps 13-14: OVN-Kubernetes, recovery host first, then the other nodes.
        Assert.True(lab.Health().Has("ovn-stale-databases"));
        await steps.RestartOvnControlPlaneAsync();
        foreach (var node in new[] { "master-0", "worker-0", "worker-1" }) await steps.RestartOvnNodeAsync(node);
        Assert.False(lab.Health().Has("ovn-stale-databases"));

        // Step 15: re-create the lost control-plane machines one by one; etcd scales up on the new hosts.
        await steps.RecreateMachineAsync("master-1");
        await steps.RecreateMachineAsync("master-2");
        Assert.Equal(3, lab.Model.LiveEtcd.Members.Count);

        // Steps 16-24.
        await steps.RedeployControlPlaneAsync();

        var health = lab.Health();
        Assert.True(health.Healthy, health.ToString());
        Assert.Equal(404, (await lab.ApiAsync("GET", "/api/v1/namespaces/team-sandbox")).Status);
        Assert.Equal(200, (await lab.ApiAsync("GET", "/api/v1/namespaces/shop/configmaps/storefront-config")).Status);
        var members = await lab.MustAsync("master-1", "etcdctl member list -w json");
        Assert.Equal(3, System.Text.Json.Nodes.JsonNode.Parse(members[0])!["members"]!.AsArray().Count);
    }
}
