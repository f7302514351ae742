using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RecoveryConsole.Orchestration.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>The webhook notifier (<see cref="WebhookNotifier"/>); it does nothing while no webhook address is set.</summary>
    public static IServiceCollection AddRunNotifications(this IServiceCollection services, NotificationOptions settings)
    {
        services.AddSingleton(Options.Create(settings));
        services.AddSingleton<WebhookNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        return services;
    }
}
