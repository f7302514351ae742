using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Clusters;

[Trait("Category", "Lab")]
public sealed class LabClusterRegistryTests
{
    private readonly LabClusterRegistry _registry = new(new LabOptions { TimeScale = 0.001 }, TimeProvider.System);

    [Fact]
    public void The_demo_cluster_is_simulated_with_three_control_plane_hosts()
    {
        var cluster = Assert.Single(_registry.List());
        Assert.Equal("lab-ocp4", cluster.Name);
        Assert.True(cluster.IsSimulated);
        Assert.Equal("openshift", cluster.Product);
        Assert.Equal("4.16.12", cluster.Version);
        Assert.Equal(["master-0", "master-1", "master-2"], cluster.ControlPlaneHosts.Select(h => h.Name).ToList());
        Assert.Equal(["192.0.2.10", "192.0.2.11", "192.0.2.12"], cluster.ControlPlaneHosts.Select(h => h.Address).ToList());
        Assert.Equal(["worker-0", "worker-1"], cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.Worker)).Select(h => h.Name).ToList());
        Assert.Equal("true", cluster.Facts["keepalived"]);
        Assert.Equal("OVNKubernetes", cluster.Facts["networkType"]);
        Assert.Equal("IPI", cluster.Facts["platform"]);
        Assert.Equal("false", cluster.Facts["proxy"]);
        Assert.Equal("HighlyAvailable", cluster.Facts["availabilityPolicy"]);
    }

    [Fact]
    public async Task Find_returns_the_lab_transports_wired_to_the_same_cluster_state()
    {
        var connection = _registry.Find("lab-ocp4");
        Assert.NotNull(connection);
        Assert.IsType<LabHostTransport>(connection.Hosts);
        Assert.IsType<LabKubernetesApi>(connection.Api);
        Assert.Null(_registry.Find("prod-ocp4"));

        var sink = new RecordingSink();
        var master2 = connection.Info.FindHost("master-2")!;
        var code = await connection.Hosts.RunAsync(master2, "cat /etc/hostname; ls /etc/kubernetes/manifests | wc -l", sink, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Equal(["master-2", "5"], sink.Stdout); // etcd, kube-apiserver, kube-controller-manager, kube-scheduler, keepalived

        var response = await connection.Api.SendAsync(new ApiRequest("GET", "/api/v1/nodes"), CancellationToken.None);
        Assert.Equal(200, response.Status);
        Assert.Contains("\"worker-1\"", response.Body);

        // Faults staged on the lab side are what the orchestrator then meets.
        _registry.FindLab("lab-ocp4")!.Host("master-2").Reachable = false;
        await Assert.ThrowsAsync<HostUnreachableException>(
            () => connection.Hosts.RunAsync(master2, "true", sink, CancellationToken.None));
    }

    [Fact]
    public void Add_lab_registers_the_registry_as_a_singleton()
    {
        var services = new ServiceCollection().AddLab(o => o.TimeScale = 0.5);
        using var provider = new TinyServiceProvider(services);

        var registry = Assert.IsType<LabClusterRegistry>(provider.GetService(typeof(IClusterRegistry)));
        Assert.Same(registry, provider.GetService(typeof(LabClusterRegistry)));
        Assert.Equal(0.5, registry.FindLab("lab-ocp4")!.Clock.TimeScale);
        Assert.Contains(services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void Add_lab_rejects_a_negative_time_scale()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddLab(o => o.TimeScale = -1));
    }

    /// <summary>
    /// Resolves singletons from descriptors: enough to exercise AddLab without a package reference to the full
    /// container (only the abstractions reach this project).
    /// </summary>
    private sealed class TinyServiceProvider(IServiceCollection services) : IServiceProvider, IDisposable
    {
        private readonly Dictionary<Type, object> _instances = [];

        public object? GetService(Type serviceType)
        {
            if (_instances.TryGetValue(serviceType, out var existing)) return existing;
            var descriptor = services.LastOrDefault(d => d.ServiceType == serviceType);
            if (descriptor is null) return null;
            Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
            var instance = descriptor.ImplementationInstance ?? descriptor.ImplementationFactory?.Invoke(this)
                ?? throw new InvalidOperationException($"{serviceType} is registered by type; the test provider only handles instances and factories.");
            _instances[serviceType] = instance;
            return instance;
        }

        public void Dispose() => _instances.Clear();
    }
}
