using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>Break-glass in the browser: approved alone with a justification, loud on the run page, listed at home until reviewed.</summary>
[Trait("Category", "Browser")]
[Trait("Category", "Security")]
public sealed class BreakGlassBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task An_operator_approves_alone_it_shows_in_red_and_stays_on_the_home_page_until_an_approver_reviews_it()
    {
        await using var console = await TestConsole.StartAsync(settings: "--Console:FourEyes:BreakGlass=true");
        var runs = console.Get<RunService>();
        var id = await runs.StartAsync(new StartRunRequest(DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters),
            new Actor(DemoUsers.Olivia.Name, [Roles.Operator]), CancellationToken.None);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        try
        {
            await olivia.GotoAsync($"/runs/{id}");
            var card = olivia.Locator("[data-testid=approval]").First;
            await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=approval-binding]").First).ToContainTextAsync("cluster lab-ocp4", new() { Timeout = Timeout });
            var step = await card.GetAttributeAsync("data-step");

            await card.GetByRole(AriaRole.Button, new() { Name = "Approve alone (break-glass)..." }).ClickAsync();
            await olivia.Locator("[name=dialog-text]").FillAsync("short");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Approve alone", Exact = true }).ClickAsync();
            await Assertions.Expect(olivia.Locator(".rc-modal")).ToContainTextAsync("at least 20 characters", new() { Timeout = Timeout });
            await olivia.Locator("[name=dialog-text]").FillAsync("Drill night: no approver reachable, rehearsing break-glass.");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Approve alone", Exact = true }).ClickAsync();

            var banner = olivia.Locator("[data-testid=break-glass]");
            await Assertions.Expect(banner).ToContainTextAsync("BREAK-GLASS", new() { Timeout = Timeout });
            await Assertions.Expect(banner).ToContainTextAsync("approved alone by olivia", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=break-glass-step]").First).ToBeVisibleAsync(new() { Timeout = Timeout });
            await runs.CancelAsync(id, new Actor(DemoUsers.Olivia.Name, [Roles.Operator]), "break-glass drill over", CancellationToken.None);

            var arjun = await Browser.SignInAsync(browser, console, DemoUsers.Arjun);
            await Assertions.Expect(arjun.Locator("[data-testid=break-glass-review]")).ToContainTextAsync("approved alone by olivia", new() { Timeout = Timeout });
            await arjun.Locator("[data-testid=break-glass-review] a").First.ClickAsync();
            await arjun.GetByRole(AriaRole.Button, new() { Name = "Mark reviewed..." }).ClickAsync();
            await arjun.Locator("[name=dialog-text]").FillAsync("Checked the drill log: justified.");
            await arjun.GetByRole(AriaRole.Button, new() { Name = "Mark reviewed", Exact = true }).ClickAsync();
            await Assertions.Expect(arjun.Locator("[data-testid=break-glass]")).ToContainTextAsync("Reviewed by arjun", new() { Timeout = Timeout });

            await arjun.GotoAsync("/");
            await Assertions.Expect(arjun.Locator("h1")).ToContainTextAsync("Recovery procedures", new() { Timeout = Timeout });
            await Assertions.Expect(arjun.Locator("[data-testid=break-glass-review]")).ToHaveCountAsync(0, new() { Timeout = Timeout });
            var approval = (await console.Get<IRunRepository>().GetAsync(id, CancellationToken.None))!.Approvals.Single(a => a.StepPath == step);
            Assert.Equal((true, "olivia", "arjun"), (approval.BreakGlass, approval.DecidedBy, approval.ReviewedBy));
            // The post-incident report says it too, with who reviewed it.
            var report = await (await arjun.APIRequest.GetAsync($"/runs/{id}/report.md")).TextAsync();
            Assert.Contains("**BREAK-GLASS** Approved alone, reviewed by arjun", report);
        }
        catch
        {
            await olivia.ScreenshotAsync(new() { Path = "/tmp/break-glass-failure.png", FullPage = true });
            throw;
        }
    }
}
