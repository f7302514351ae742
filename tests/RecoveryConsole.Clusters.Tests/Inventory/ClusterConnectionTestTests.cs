using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Checks;
using RecoveryConsole.Transports.Ssh.Checks;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Clusters.Tests.Inventory;

/// <summary>
/// "Test connection" for a hosted-control-plane cluster with a kubeconfig per role, against the lab's HTTPS API server:
/// every role is checked on its own, and each failure reads as its own sentence.
/// </summary>
[Trait("Category", "Lab")]
public sealed class ClusterConnectionTestTests : IAsyncLifetime
{
    private LabApiServer _server = null!;
    private ClustersHost _console = null!;

    public async Task InitializeAsync()
    {
        _server = await LabApiServer.StartAsync(new LabCluster(LabClusterCatalog.DemoOpenShift(), new LabOptions { TimeScale = 0 }, TimeProvider.System));
        _console = await ClustersHost.StartAsync(lab: false);
    }

    public async Task DisposeAsync()
    {
        await _console.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_kubeconfig_role_is_checked_and_each_failure_says_why()
    {
        var closedPort = SshdServer.FreePort();
        var nothingListens = Requests.TokenKubeconfig($"https://127.0.0.1:{SshdServer.FreePort()}", insecure: true);
        await _console.Registration.SaveAsync(new()
        {
            Name = "hcp-east",
            Hosts = [new HostInfo("master-0", "127.0.0.1", [HostRoles.ControlPlane])],
            SshPort = closedPort,
            Kubeconfigs = new Dictionary<string, string>
            {
                [ApiRoles.Cluster] = _server.CreateKubeconfig(),
                [ApiRoles.Hosted] = _server.CreateTokenKubeconfig("someone", "sha256~a-token-this-server-never-issued"),
                [ApiRoles.SourceManagement] = nothingListens,
            },
        }, ClustersHost.Olivia, CancellationToken.None);

        var report = await _console.ConnectionTest.RunAsync("hcp-east", CancellationToken.None);

        Assert.Equal([ApiRoles.Cluster, ApiRoles.SourceManagement, ApiRoles.Hosted], report.Apis.Select(a => a.Role));
        var cluster = report.Api!;
        Assert.True(cluster.AllPassed, cluster.Problem);
        Assert.Equal("system:admin is cluster-admin: allowed every action on every resource.", cluster.Report!.ClusterAdmin.Sentence);

        var hosted = report.Apis.Single(a => a.Role == ApiRoles.Hosted).Report!;
        Assert.True(hosted.Reachable.Passed);
        Assert.Equal(CheckOutcome.Failed, hosted.Authenticated.Outcome);
        Assert.Contains("401 Unauthorized", hosted.Authenticated.Sentence, StringComparison.Ordinal);
        Assert.Equal(CheckOutcome.Skipped, hosted.ClusterAdmin.Outcome);

        var source = report.Apis.Single(a => a.Role == ApiRoles.SourceManagement).Report!;
        Assert.Equal(CheckOutcome.Failed, source.Reachable.Outcome);
        Assert.Contains("could not be reached", source.Reachable.Sentence, StringComparison.Ordinal);
        Assert.Contains(source.Warnings, w => w.Contains("insecure-skip-tls-verify", StringComparison.Ordinal));

        var host = Assert.Single(report.Hosts);
        Assert.Equal(CheckState.Failed, host.Reachable.State);
        Assert.Contains($"127.0.0.1:{closedPort} refused the connection", host.Reachable.Sentence, StringComparison.Ordinal);
        Assert.False(report.AllPassed);
    }

    [Fact]
    public async Task A_role_kubeconfig_can_be_removed_and_its_secret_goes_with_it()
    {
        var saved = await _console.Registration.SaveAsync(new()
        {
            Name = "hcp-east",
            Hosts = [new HostInfo("master-0", "10.0.0.10", [HostRoles.ControlPlane])],
            Kubeconfigs = new Dictionary<string, string> { [ApiRoles.Cluster] = _server.CreateKubeconfig(), [ApiRoles.Hosted] = _server.CreateKubeconfig() },
        }, ClustersHost.Olivia, CancellationToken.None);
        var hostedSecret = saved.Api(ApiRoles.Hosted)!.KubeconfigSecretId;

        var changed = await _console.Registration.SaveAsync(new()
        {
            Name = "hcp-east",
            Hosts = [new HostInfo("master-0", "10.0.0.10", [HostRoles.ControlPlane])],
            RemoveKubeconfigs = [ApiRoles.Hosted],
        }, ClustersHost.Olivia, CancellationToken.None);

        Assert.Equal([ApiRoles.Cluster], changed.Apis.Select(a => a.Role));
        Assert.Equal(saved.Api()!.KubeconfigSecretId, changed.Api()!.KubeconfigSecretId);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _console.Get<ISecretStore>().GetAsync(hostedSecret, CancellationToken.None));
        Assert.EndsWith("kubeconfig removed for hosted", (await _console.AuditAsync(Orchestration.Audit.AuditKinds.ClusterRegistered)).Last().Detail, StringComparison.Ordinal);
    }
}
