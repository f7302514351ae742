using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Lab;

/// <summary>Staging and resetting a drill on the Drills page ends in a clear result, as the lab judges it.</summary>
[Trait("Category", "Browser")]
public sealed class DrillsPageBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task Staging_then_resetting_says_what_was_done_and_how_the_lab_judges_the_cluster()
    {
        await using var console = await TestConsole.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        await page.GotoAsync("/lab");

        var cluster = page.Locator($"[data-cluster={DemoUsers.LabCluster}]");
        var scenario = cluster.Locator("[data-scenario=ocp4-control-plane-majority-lost]");
        await scenario.GetByRole(AriaRole.Button, new() { Name = "Stage this disaster" }).ClickAsync();
        var result = page.Locator("[data-testid=drill-result]");
        await Assertions.Expect(result).ToContainTextAsync("Staged \"", new() { Timeout = Timeout });
        await Assertions.Expect(result).ToContainTextAsync($"\" on {DemoUsers.LabCluster}: the lab now reports", new() { Timeout = Timeout });
        await Assertions.Expect(result).ToContainTextAsync("problem", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-testid=drill-progress]")).ToHaveCountAsync(0);

        await cluster.GetByRole(AriaRole.Button, new() { Name = "Reset to healthy" }).ClickAsync();
        await Assertions.Expect(result).ToContainTextAsync($"{DemoUsers.LabCluster} is reset: the lab judges it healthy.", new() { Timeout = Timeout });
        await Assertions.Expect(cluster.Locator("[data-testid=health]")).ToContainTextAsync("Healthy", new() { Timeout = Timeout });
    }
}
