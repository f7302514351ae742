using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>The whole drill as people do it, in Debian's Chromium: start, watch, approve, confirm, succeed, find it in history.</summary>
[Trait("Category", "Browser")]
public sealed partial class BrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task Operator_starts_the_sample_an_approver_approves_and_the_run_succeeds_and_shows_in_history()
    {
        await using var console = await TestConsole.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        try
        {
            await olivia.Locator("[data-procedure=sample-drill]").GetByRole(AriaRole.Button, new() { Name = "Start..." }).ClickAsync();
            // Client-side navigations: poll the URL (WaitForURL also waits for a load event that pushState never fires).
            await Assertions.Expect(olivia).ToHaveURLAsync(new Regex("/procedures/sample-drill/start$"), new() { Timeout = Timeout });
            // The lab offers several simulated clusters: pick the demo cluster the sample is written for.
            await olivia.Locator("[data-param=cluster] .rz-dropdown").ClickAsync();
            await olivia.GetByRole(AriaRole.Option, new() { Name = DemoUsers.LabCluster, Exact = true }).ClickAsync();
            await Assertions.Expect(olivia.Locator(".rc-topbar .rc-simulated")).ToBeVisibleAsync(new() { Timeout = Timeout });

            // Parameters: the recovery host from the dropdown, a ticket that breaks the pattern first, then a good one.
            await olivia.Locator("[data-param=recoveryHost] .rz-dropdown").ClickAsync();
            await olivia.GetByRole(AriaRole.Option, new() { Name = "master-0", Exact = true }).ClickAsync();
            var ticket = olivia.Locator("[data-param=ticket] input");
            await ticket.FillAsync("drill 7");
            await Assertions.Expect(olivia.Locator("[data-param=ticket] .rc-problem")).ToContainTextAsync("Capital letters, a dash, then digits", new() { Timeout = Timeout });
            await ticket.FillAsync("DRILL-7");
            await Assertions.Expect(olivia.Locator("[data-param=ticket] .rc-problem")).ToHaveCountAsync(0, new() { Timeout = Timeout });

            await olivia.GetByRole(AriaRole.Button, new() { Name = "Review plan" }).ClickAsync();
            var plan = olivia.Locator("[data-testid=plan]");
            await Assertions.Expect(plan).ToContainTextAsync("DESTRUCTIVE", new() { Timeout = Timeout });
            await Assertions.Expect(plan).ToContainTextAsync("on master-1", new() { Timeout = Timeout });
            await Assertions.Expect(plan).ToContainTextAsync("recovery-DRILL-7", new() { Timeout = Timeout });
            await olivia.ScreenshotAsync(new() { Path = "/tmp/wizard-plan.png", FullPage = true });

            await olivia.GetByRole(AriaRole.Button, new() { Name = "Start drill" }).ClickAsync();
            await Assertions.Expect(olivia).ToHaveURLAsync(RunUrl(), new() { Timeout = Timeout });
            var runUrl = olivia.Url;

            // Live: output is there while the run still waits for the first approval.
            await Assertions.Expect(olivia.Locator("[data-testid=approval]")).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=transcript] .rc-line").First).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=transcript]")).ToContainTextAsync("rehearsal only", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=approval]")).ToContainTextAsync("another approver must approve", new() { Timeout = Timeout });
            await olivia.ScreenshotAsync(new() { Path = "/tmp/run-page-waiting.png" });

            var arjun = await Browser.SignInAsync(browser, console, DemoUsers.Arjun);
            await arjun.GotoAsync(runUrl);
            await DriveToEndAsync(olivia, arjun);

            await Assertions.Expect(olivia.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=transcript]")).ToContainTextAsync("Run Succeeded", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator(".rc-step-note")).ToContainTextAsync("master-1 then master-2", new() { Timeout = Timeout });
            await olivia.ScreenshotAsync(new() { Path = "/tmp/run-page.png" });

            await olivia.GotoAsync(new Uri(console.BaseAddress, "/runs").ToString());
            var row = olivia.Locator($"[data-testid=history] tr[data-run='{runUrl[(runUrl.LastIndexOf('/') + 1)..]}']");
            await Assertions.Expect(row).ToContainTextAsync("Succeeded", new() { Timeout = Timeout });
            await Assertions.Expect(row).ToContainTextAsync("DRILL", new() { Timeout = Timeout });
            await Assertions.Expect(row).ToContainTextAsync("olivia", new() { Timeout = Timeout });

            await olivia.ScreenshotAsync(new() { Path = "/tmp/history-page.png" });

            // The approver can check the audit chain; the operator's top bar has no Audit link.
            await arjun.GotoAsync("/audit");
            await Assertions.Expect(arjun.Locator("[data-testid=audit-verify]")).ToContainTextAsync("Chain verified", new() { Timeout = Timeout });
            await Assertions.Expect(arjun.Locator(".rc-audit")).ToContainTextAsync("approval.decided", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator(".rc-nav")).Not.ToContainTextAsync("Audit");

            await olivia.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await olivia.WaitForURLAsync("**/login**", new() { Timeout = Timeout });
        }
        catch (Exception e)
        {
            await olivia.ScreenshotAsync(new() { Path = "/tmp/run-page-failure.png" });
            throw new Xunit.Sdk.XunitException($"{e.Message}\nRun page then: {await Browser.TranscriptStateAsync(olivia)}", e);
        }
    }

    /// <summary>Arjun approves each destructive step as it comes; olivia confirms the manual step with a note.</summary>
    private static async Task DriveToEndAsync(IPage olivia, IPage arjun)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        var approvals = 0;
        while (DateTime.UtcNow < deadline)
        {
            var status = await olivia.Locator("[data-testid=run-status]").TextContentAsync();
            if (status is "Succeeded" or "Failed" or "Cancelled") break;
            var approve = arjun.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true });
            if (await approve.IsVisibleAsync() && await approve.IsEnabledAsync())
            {
                await approve.ClickAsync();
                approvals++;
                await Assertions.Expect(arjun.Locator("[data-testid=command-error]")).ToHaveCountAsync(0);
            }
            var note = olivia.Locator("textarea[name=manual-note]");
            if (await note.IsVisibleAsync())
            {
                await note.FillAsync("Would re-create master-1 then master-2, one at a time");
                await olivia.GetByRole(AriaRole.Button, new() { Name = "Confirm done" }).ClickAsync();
                await Assertions.Expect(note).ToHaveCountAsync(0, new() { Timeout = Timeout });
            }
            await Task.Delay(200);
        }
        Assert.True(approvals >= 4, $"{approvals} approvals clicked");
    }


    [GeneratedRegex(@"/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
