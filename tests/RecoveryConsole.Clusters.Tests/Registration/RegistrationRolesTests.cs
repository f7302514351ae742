using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Clusters.Tests.Registration;

/// <summary>Real cluster registrations change only for operators holding that role on the cluster, never for lab demo accounts.</summary>
[Trait("Category", "Security")]
public sealed class RegistrationRolesTests : IAsyncLifetime
{
    private ClustersHost _console = null!;

    public async Task InitializeAsync() => _console = await ClustersHost.StartAsync();

    public async Task DisposeAsync() => await _console.DisposeAsync();

    [Fact]
    public async Task A_demo_operator_may_not_register_a_real_cluster()
    {
        var demo = ClustersHost.Olivia with { IsDemo = true };

        var refused = await Assert.ThrowsAsync<NotAllowedException>(() =>
            _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), demo, CancellationToken.None));

        Assert.Contains("lab demo account and may not change cluster registrations", refused.Message);
        Assert.Empty(await _console.Get<IClusterDefinitions>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_operator_who_is_only_a_viewer_on_that_cluster_may_not_register_it()
    {
        var viewerThere = ClustersHost.Olivia with
        {
            ClusterRoles = new Dictionary<string, IReadOnlyCollection<string>> { [Requests.Prod().Name] = [Roles.Viewer] },
        };

        var refused = await Assert.ThrowsAsync<NotAllowedException>(() =>
            _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), viewerThere, CancellationToken.None));

        Assert.Contains("the operator or admin role is needed", refused.Message);
        Assert.Empty(await _console.Get<IClusterDefinitions>().ListAsync(CancellationToken.None));
    }
}
