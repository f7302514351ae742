using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Scenarios;

/// <summary>Scenario 3, recovered with section 5.3.3: wait for the control plane, then approve the kubelets' CSRs.</summary>
[Trait("Category", "Lab")]
public sealed class ExpiredCertificatesRecoveryTests
{
    private const string Scenario = "ocp4-expired-control-plane-certificates";

    [Fact]
    public async Task Right_after_power_on_clients_get_x509_errors_and_every_node_is_down_or_not_ready()
    {
        var lab = new Ocp4Harness(Scenario);
        lab.Pass(TimeSpan.FromSeconds(30)); // the hosts have booted, etcd and kube-apiserver run

        var error = await Assert.ThrowsAsync<ApiUnreachableException>(() => lab.Api.SendAsync(new ApiRequest("GET", "/api/v1/nodes"), CancellationToken.None));
        Assert.Contains("x509: certificate has expired or is not yet valid: current time 2024-09-01T08:00:30Z is after", error.Message);
        var health = lab.Health();
        Assert.True(health.Has("api-unreachable"), health.ToString());
        Assert.False(health.Has("etcd-quorum-lost"), health.ToString());

        var (code, _, _) = await lab.RunAsync("master-0", "etcdctl endpoint health");
        Assert.Equal(0, code); // etcd itself is fine
    }

    [Fact]
    public async Task Approving_the_node_bootstrapper_then_the_serving_csrs_makes_the_cluster_healthy()
    {
        var lab = new Ocp4Harness(Scenario);
        var steps = new DocumentSteps(lab);

        // The cluster recovers its control-plane certificates by itself after a few minutes.
        await lab.WaitUntilAsync("the API to answer again", async () => await steps.NotReadyNodesAsync() is not null, TimeSpan.FromSeconds(30));
        var health = lab.Health();
        Assert.Equal(5, health.Of("node-not-ready").Count());
        Assert.Contains("x509: certificate has expired", health.Of("node-not-ready").First().Message);
        Assert.True(health.Has("csr-pending"), health.ToString());

        // 5.3.3 step 1: oc get csr: a node-bootstrapper CSR per node.
        var pending = await steps.PendingCsrsAsync();
        Assert.Equal(5, pending.Count);
        Assert.All(pending, c => Assert.Equal("system:serviceaccount:openshift-machine-config-operator:node-bootstrapper", (string?)c["spec"]!["username"]));
        // Step 3: approve each node-bootstrapper CSR.
        foreach (var csr in pending) await steps.ApproveAsync(csr);
        lab.Pass(TimeSpan.FromSeconds(10));
        Assert.Empty(await steps.NotReadyNodesAsync() ?? ["api down"]);
        // Step 4: then the kubelet serving CSRs.
        var serving = await steps.PendingCsrsAsync();
        Assert.Equal(5, serving.Count);
        Assert.All(serving, c => Assert.Equal("kubernetes.io/kubelet-serving", (string?)c["spec"]!["signerName"]));
        Assert.Equal(["system:node:master-0", "system:node:master-1", "system:node:master-2", "system:node:worker-0", "system:node:worker-1"],
            serving.Select(c => (string)c["spec"]!["username"]!).Order().ToList());
        foreach (var csr in serving) await steps.ApproveAsync(csr);
        lab.Pass(TimeSpan.FromSeconds(10));

        health = lab.Health();
        Assert.True(health.Healthy, health.ToString());
    }
}
