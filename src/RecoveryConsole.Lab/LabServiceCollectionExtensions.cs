using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Lab;

public static class LabServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated clusters as an <see cref="IClusterRegistry"/> (and as <see cref="LabClusterRegistry"/>
    /// for lab-only features). Uses the container's <see cref="TimeProvider"/>, the system clock unless one is registered.
    /// </summary>
    public static IServiceCollection AddLab(this IServiceCollection services, Action<LabOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new LabOptions();
        configure?.Invoke(options);
        options.Validate(); // fail at startup, not at the first drill

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => options.WholeEstate
            ? new LabClusterRegistry(options, sp.GetRequiredService<TimeProvider>(), LabClusterCatalog.Estate())
            : new LabClusterRegistry(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClusterRegistry>(sp => sp.GetRequiredService<LabClusterRegistry>());
        services.AddSingleton(sp => new Scenarios.LabScenarios(sp.GetRequiredService<LabClusterRegistry>()));
        return services;
    }
}
