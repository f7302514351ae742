using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RecoveryConsole.Clusters.Connections;
using RecoveryConsole.Clusters.Drills;
using RecoveryConsole.Clusters.Inventory;
using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Lab;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Transports.Ssh;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Clusters;

public static class ClustersServiceCollectionExtensions
{
    /// <summary>
    /// The clusters the console can act on: registered real ones (SSH over OpenSSH, the Kubernetes REST client) and,
    /// with the lab on, the simulated ones reached over HTTPS. Needs the audit store (definitions, secrets) and Data Protection.
    /// </summary>
    public static IServiceCollection AddClusters(this IServiceCollection services, string dataDirectory, bool withLab, Action<LabOptions>? lab = null)
    {
        var paths = new ClusterPaths(dataDirectory);
        services.AddSingleton(paths);
        services.AddOptions<SshSettings>();
        services.AddSingleton<ISshKeyStore>(sp => new DataProtectedSshKeyStore(
            sp.GetRequiredService<IDataProtectionProvider>(), paths.SshKeysDirectory, sp.GetRequiredService<IOptions<SshSettings>>().Value));
        services.AddSingleton<SshTransportFactory>();
        if (withLab)
        {
            services.AddLab(lab);
            services.AddSingleton<LabEndpoints>();
            services.AddHostedService(sp => sp.GetRequiredService<LabEndpoints>());
            services.AddSingleton<LabDrills>();
        }
        services.AddSingleton<ConsoleClusterRegistry>();
        services.AddSingleton<IClusterRegistry>(sp => sp.GetRequiredService<ConsoleClusterRegistry>());
        services.AddSingleton<ClusterRegistration>();
        services.AddSingleton<HostKeyTrust>();
        services.AddSingleton<HostKeyReplacements>();
        services.AddSingleton<Inventory.HostStandings>();
        services.AddSingleton<ClusterConnectionTest>();
        services.AddHostedService<RegisteredClustersStartup>();
        return services;
    }
}

/// <summary>Loads the registered clusters once the store is migrated (hosted services start in registration order).</summary>
internal sealed class RegisteredClustersStartup(ConsoleClusterRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => registry.RefreshAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
