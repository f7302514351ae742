using RecoveryConsole.Lab.Legacy;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>
/// 3.11 lab: the kubernetes service endpoints follow the masters' API static pods without a restart elsewhere, as the
/// remaining API servers reconcile them (001_a269d515094e3629.txt, 5.2.1.3 step 6).
/// </summary>
[Trait("Category", "Lab")]
public sealed class Ocp311EndpointsTests
{
    private static async Task<List<string?>> EndpointsAsync(LegacyHarness lab) =>
        (await lab.MustApiAsync("GET", "/api/v1/namespaces/default/endpoints/kubernetes"))["subsets"]![0]!["addresses"]!.AsArray()
        .Select(a => (string?)a!["ip"]).ToList();

    [Fact]
    public async Task Moving_a_masters_apiserver_yaml_out_and_back_removes_and_restores_its_address()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp311(), "ocp311-etcd-host-failed-retire-master");
        Assert.Equal(["192.0.2.110", "192.0.2.111", "192.0.2.112"], await EndpointsAsync(lab));

        await lab.MustAsync("master-2", "sudo mkdir -p /etc/origin/node/pods/disabled");
        await lab.MustAsync("master-2", "sudo mv /etc/origin/node/pods/apiserver.yaml /etc/origin/node/pods/disabled/");

        Assert.Equal(["192.0.2.110", "192.0.2.111"], await EndpointsAsync(lab));
        Assert.False(lab.Health().Has("kubernetes-endpoints-stale"));

        await lab.MustAsync("master-2", "sudo mv /etc/origin/node/pods/disabled/apiserver.yaml /etc/origin/node/pods/");
        Assert.Equal(["192.0.2.110", "192.0.2.111", "192.0.2.112"], await EndpointsAsync(lab));
        Assert.True(lab.Health().Has("kubernetes-endpoints-stale"));
    }
}
