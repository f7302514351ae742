using RecoveryConsole.Audit;
using RecoveryConsole.Web.Accounts;

namespace RecoveryConsole.Web.Hosting;

/// <summary>Applies migrations and creates the first accounts before anything else starts.</summary>
internal sealed class StoreStartup(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.MigrateAuditStoreAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountSeeder>().SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
