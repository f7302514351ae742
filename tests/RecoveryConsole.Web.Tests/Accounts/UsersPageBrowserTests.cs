using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Accounts;

[Trait("Category", "Security")]
[Trait("Category", "Browser")]
public sealed class UsersPageBrowserTests
{
    [Fact]
    public async Task An_admin_takes_a_users_access_to_one_cluster_away_and_gives_it_back()
    {
        await using var console = await TestConsole.StartAsync();
        var admin = ("ada", "ada-admin-passphrase");
        await using (var scope = console.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser(admin.Item1);
            Assert.True((await users.CreateAsync(user, admin.Item2)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Admin)).Succeeded);
        }
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, admin);
        await page.GotoAsync("/admin/users");
        var section = page.Locator("[data-testid=cluster-roles]");

        await section.Locator("[data-param=assign-user] .rz-dropdown").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "vera", Exact = true }).ClickAsync();
        await section.Locator("[data-param=assign-cluster] .rz-dropdown").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = DemoUsers.LabCluster, Exact = true }).ClickAsync();
        await section.Locator("[data-role=viewer] .rz-chkbox-box").ClickAsync();
        await section.GetByRole(AriaRole.Button, new() { Name = "Set roles on this cluster" }).ClickAsync();

        var row = section.Locator($"[data-assignment='vera@{DemoUsers.LabCluster}']");
        await Assertions.Expect(row).ToContainTextAsync("no access", new() { Timeout = Browser.Timeout });
        await using (var scope = console.Services.CreateAsyncScope())
        {
            var stored = Assert.Single(await scope.ServiceProvider.GetRequiredService<ClusterRoleAssignments>().ListAsync("vera"));
            Assert.Equal((DemoUsers.LabCluster, 0), (stored.Cluster, stored.Roles.Count));
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = Browser.Timeout });
        await using (var scope = console.Services.CreateAsyncScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<ClusterRoleAssignments>().ListAsync("vera"));
    }
}
