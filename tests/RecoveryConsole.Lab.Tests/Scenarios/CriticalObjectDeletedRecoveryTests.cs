using RecoveryConsole.Lab.Tests.Ocp4;

namespace RecoveryConsole.Lab.Tests.Scenarios;

/// <summary>Scenario 2: the API still works; a restore is the last resort, and when chosen it must be done completely.</summary>
[Trait("Category", "Lab")]
public sealed class CriticalObjectDeletedRecoveryTests
{
    private const string Scenario = "ocp4-critical-object-deleted";

    [Fact]
    public async Task The_fault_is_a_missing_object_on_an_otherwise_working_cluster_and_the_scenario_says_a_restore_is_the_last_resort()
    {
        var lab = new Ocp4Harness(Scenario);

        var health = lab.Health();
        Assert.Equal(["critical-object-missing"], health.Problems.Select(p => p.Code).Distinct().ToList());
        Assert.Contains(health.Problems, p => p.Subject == "/api/v1/namespaces/shop");
        Assert.Equal(404, (await lab.ApiAsync("GET", "/api/v1/namespaces/shop/secrets/payment-gateway")).Status);
        Assert.Equal(200, (await lab.ApiAsync("GET", "/api/v1/nodes")).Status); // the API serves data

        var scenario = lab.Application!.Scenario;
        Assert.True(scenario.LastResort);
        Assert.Contains("last resort", scenario.Description);
        Assert.Contains("you should not restore from an etcd backup", scenario.Description);
        Assert.Equal("5.3.2.2", scenario.Procedure!.Section);
    }

    [Fact]
    public async Task The_complete_documented_restore_brings_the_namespace_back_and_leaves_a_healthy_cluster()
    {
        var lab = new Ocp4Harness(Scenario);
        var steps = new DocumentSteps(lab);

        // Step 4 on each other control-plane host, one after the other (master-1 holds the API VIP).
        Assert.True(await steps.OwnsApiVipAsync("master-1"));
        await steps.StopStaticPodsAsync("master-1");
        Assert.False(await steps.OwnsApiVipAsync("master-1")); // removed with ip address del
        await steps.StopStaticPodsAsync("master-2");
        // Step 6.
        Assert.True(await steps.OwnsApiVipAsync("master-0"));
        // Step 8.
        await steps.RestoreAsync("master-0");
        await lab.WaitUntilAsync("the API to serve again", async () => await steps.NotReadyNodesAsync() is not null);
        Assert.Equal(200, (await lab.ApiAsync("GET", "/api/v1/namespaces/shop/secrets/payment-gateway")).Status);

        // Steps 9-11: no certificates were renewed since the backup: the kubelets are trusted and nothing is pending.
        foreach (var host in new[] { "master-0", "master-1", "master-2" }) await steps.RestartKubeletAsync(host);
        Assert.Empty(await steps.ApproveCsrsUntilNonePendingAsync());
        // Steps 13-14.
        await steps.RestartOvnControlPlaneAsync();
        foreach (var node in new[] { "master-0", "master-1", "master-2", "worker-0", "worker-1" }) await steps.RestartOvnNodeAsync(node);
        // Step 15: the other control-plane machines are re-created too (their hosts come back empty).
        await steps.RecreateMachineAsync("master-1");
        await steps.RecreateMachineAsync("master-2");
        // Steps 16-24.
        await steps.RedeployControlPlaneAsync();

        var health = lab.Health();
        Assert.True(health.Healthy, health.ToString());
        Assert.Equal(200, (await lab.ApiAsync("GET", "/api/v1/namespaces/shop")).Status);
    }
}
