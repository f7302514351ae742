using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Runs;

/// <summary>The run page and the history show a run only to those holding a role on its cluster (checked on the server).</summary>
[Trait("Category", "Security")]
[Trait("Category", "Browser")]
public sealed class RunAccessBrowserTests
{
    [Fact]
    public async Task Without_a_role_on_the_cluster_the_home_page_the_run_page_and_the_history_do_not_show_the_run()
    {
        await using var console = await TestConsole.StartAsync();
        // Active (it waits for an approval), so the home page lists it too.
        var runId = await RunDriver.StartSampleAsync(console);
        await using (var scope = console.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ClusterRoleAssignments>()
                .SetAsync("vera", DemoUsers.LabCluster, [], new Actor("admin", [Roles.Admin]), CancellationToken.None);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        await Assertions.Expect(olivia.Locator($"a.rc-active-run[href='/runs/{runId}']")).ToHaveCountAsync(1, new() { Timeout = Browser.Timeout });
        await olivia.GotoAsync("/runs");
        await Assertions.Expect(olivia.Locator($"a[href='/runs/{runId}']")).ToHaveCountAsync(1, new() { Timeout = Browser.Timeout });

        var vera = await Browser.SignInAsync(browser, console, DemoUsers.Vera);
        await Assertions.Expect(vera.Locator("[data-procedure=sample-drill]")).ToBeVisibleAsync(new() { Timeout = Browser.Timeout });
        await Assertions.Expect(vera.Locator("a.rc-active-run")).ToHaveCountAsync(0);
        await vera.GotoAsync($"/runs/{runId}");
        await Assertions.Expect(vera.Locator(".rc-main")).ToContainTextAsync($"There is no run {runId}", new() { Timeout = Browser.Timeout });
        await Assertions.Expect(vera.Locator("[data-testid=transcript]")).ToHaveCountAsync(0);
        await vera.GotoAsync("/runs");
        await Assertions.Expect(vera.GetByText("No run matches.")).ToBeVisibleAsync(new() { Timeout = Browser.Timeout });
        await Assertions.Expect(vera.Locator($"a[href='/runs/{runId}']")).ToHaveCountAsync(0);
        await console.Get<RunService>().CancelAsync(runId, RunDriver.Olivia, "test over", CancellationToken.None);
    }
}
