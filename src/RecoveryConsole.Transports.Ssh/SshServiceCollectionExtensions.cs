using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Transports.Ssh;

public static class SshServiceCollectionExtensions
{
    /// <summary>
    /// The SSH transport's parts: settings, the encrypted key store in <paramref name="keyDirectory"/> and the
    /// per-cluster transport factory. Data Protection is added if the app has not (the app decides where its key ring lives).
    /// </summary>
    public static IServiceCollection AddSshTransports(this IServiceCollection services, string keyDirectory, Action<SshSettings>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyDirectory);
        services.AddDataProtection();
        var options = services.AddOptions<SshSettings>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<ISshKeyStore>(sp => new DataProtectedSshKeyStore(
            sp.GetRequiredService<IDataProtectionProvider>(), keyDirectory, sp.GetRequiredService<IOptions<SshSettings>>().Value));
        services.AddSingleton<SshTransportFactory>();
        return services;
    }
}
