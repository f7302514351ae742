using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Clusters;
using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Tests;

public sealed class AuditStoreServiceCollectionExtensionsTests
{
    [Fact]
    public async Task Every_store_resolves_and_the_directory_is_created()
    {
        await using var store = await TestStore.CreateAsync(migrate: false);

        Assert.True(Directory.Exists(Path.GetDirectoryName(store.Options.DatabasePath)));
        Assert.NotNull(store.Services.GetRequiredService<IDbContextFactory<AuditDbContext>>());
        Assert.NotNull(store.Services.GetRequiredService<IRunRepository>());
        Assert.NotNull(store.Services.GetRequiredService<ITranscriptStore>());
        Assert.NotNull(store.Services.GetRequiredService<IClusterRecords>());
        Assert.Same(store.Services.GetRequiredService<IAuditLog>(), store.Services.GetRequiredService<IAuditLog>());

        AuditDbContext first, second;
        await using (var scope = store.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<AuditDbContext>();
            Assert.Same(first, scope.ServiceProvider.GetRequiredService<AuditDbContext>());
        }
        await using (var scope = store.Services.CreateAsyncScope())
            second = scope.ServiceProvider.GetRequiredService<AuditDbContext>();
        Assert.NotSame(first, second);
        Assert.Throws<ObjectDisposedException>(() => first.Runs.Any()); // disposed with its scope
    }

    [Fact]
    public async Task Identity_accounts_live_in_the_same_file()
    {
        await using var store = await TestStore.CreateAsync(services => services
            .AddLogging()
            .AddIdentityCore<IdentityUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AuditDbContext>());

        await using (var scope = store.Services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await roles.CreateAsync(new IdentityRole("approver"))).Succeeded);
            var bob = new IdentityUser("bob");
            Assert.True((await users.CreateAsync(bob, "A-long-enough-passw0rd!")).Succeeded);
            Assert.True((await users.AddToRoleAsync(bob, "approver")).Succeeded);
            Assert.True((await users.SetLockoutEndDateAsync(bob, DateTimeOffset.UtcNow.AddMinutes(5))).Succeeded);
        }

        await using (var scope = store.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var bob = await users.FindByNameAsync("bob");
            Assert.NotNull(bob);
            Assert.True(await users.CheckPasswordAsync(bob, "A-long-enough-passw0rd!"));
            Assert.Equal(["approver"], await users.GetRolesAsync(bob));
            Assert.True(await users.IsLockedOutAsync(bob));
        }
        Assert.Equal(1L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM AspNetUsers"));
    }
}
