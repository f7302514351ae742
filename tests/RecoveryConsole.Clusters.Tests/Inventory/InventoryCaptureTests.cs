using RecoveryConsole.Clusters.Inventory;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes;

namespace RecoveryConsole.Clusters.Tests.Inventory;

/// <summary>Inventory capture over HTTPS, with the console's real Kubernetes client, against the lab's API server.</summary>
[Trait("Category", "Lab")]
public sealed class InventoryCaptureTests : IAsyncLifetime
{
    private LabApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        var cluster = new LabCluster(LabClusterCatalog.DemoOpenShift(), new LabOptions { TimeScale = 0 }, TimeProvider.System);
        _server = await LabApiServer.StartAsync(cluster);
        _client = KubernetesClient.FromKubeconfigText(_server.CreateKubeconfig());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_lab_nodes_come_back_with_roles_and_internal_IPs_and_the_facts_with_them()
    {
        var captured = await InventoryCapture.CaptureAsync(_client, CancellationToken.None);

        Assert.Equal(
            ["master-0 192.0.2.10 control-plane", "master-1 192.0.2.11 control-plane", "master-2 192.0.2.12 control-plane", "worker-0 192.0.2.20 worker", "worker-1 192.0.2.21 worker"],
            captured.Hosts.Select(h => $"{h.Name} {h.Address} {string.Join(",", h.Roles)}").Order(StringComparer.Ordinal));
        Assert.Equal("4.16.12", captured.Version);
        Assert.Equal("IPI", captured.Facts["platform"]);
        Assert.Equal("false", captured.Facts["proxy"]);
        Assert.Equal("master-0,master-1,master-2", captured.Facts["etcdMembers"]);
        Assert.Equal("master-0=https://192.0.2.10:2380,master-1=https://192.0.2.11:2380,master-2=https://192.0.2.12:2380", captured.Facts["etcdPeerURLs"]);
        Assert.Equal(3, captured.Facts["controlPlaneMachines"].Split(',').Length);
        Assert.Equal(5, captured.Facts["machines"].Split(',').Length);

        // Nothing is silently missing: every fact a procedure decides by is captured or named as a gap.
        foreach (var (fact, source) in new[] { ("platformType", "infrastructures/cluster"), ("keepalived", "infrastructures/cluster"), ("networkType", "networks/cluster") })
            Assert.True(captured.Facts.ContainsKey(fact) || captured.Gaps.Any(g => g.Contains(fact, StringComparison.Ordinal) && g.Contains(source, StringComparison.Ordinal)),
                $"{fact} is neither captured nor a gap: {string.Join(" | ", captured.Gaps)}");
    }

    [Fact]
    public async Task Objects_the_cluster_lacks_are_listed_as_gaps_in_words()
    {
        var deleted = await _client.SendAsync(new ApiRequest("DELETE", "/apis/config.openshift.io/v1/proxies/cluster"), CancellationToken.None);
        Assert.True(deleted.IsSuccess, deleted.Body);

        var captured = await InventoryCapture.CaptureAsync(_client, CancellationToken.None);

        Assert.False(captured.Facts.ContainsKey("proxy"));
        Assert.Contains("proxy (the Proxy object): not captured; the API answered 404 for /apis/config.openshift.io/v1/proxies/cluster.", captured.Gaps);
        Assert.Equal(5, captured.Hosts.Count);
    }

    [Fact]
    public async Task Refused_credentials_give_gaps_not_a_crash()
    {
        using var nobody = KubernetesClient.FromKubeconfigText(_server.CreateTokenKubeconfig("nobody", "sha256~not-a-token-this-server-issued"));

        var captured = await InventoryCapture.CaptureAsync(nobody, CancellationToken.None);

        Assert.Empty(captured.Hosts);
        Assert.Contains("nodes (hosts, roles, internal IPs): not captured; the API answered 401 for /api/v1/nodes.", captured.Gaps);
        Assert.Contains("nodes: none listed; enter the hosts by hand.", captured.Gaps);
        Assert.Empty(captured.Facts);
        Assert.Equal(8, captured.Gaps.Count);
    }
}
