using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Notifications;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Notifications;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Layout;

/// <summary>The top bar's "waiting for you" and the history, live in two browsers, and the same request sent to the configured webhook.</summary>
[Trait("Category", "Browser")]
public sealed class WaitingForYouBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task An_approval_appears_for_the_approver_without_a_reload_never_for_the_operator_who_started_it_and_goes_when_decided_and_the_history_and_step_list_follow()
    {
        await using var hook = new LocalWebhook();
        await using var console = await TestConsole.StartAsync(settings: [$"--Console:Notifications:WebhookUrl={hook.Url}", "--Console:Notifications:ConsoleUrl=https://recovery.example.test"]);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var arjun = await Browser.SignInAsync(browser, console, DemoUsers.Arjun);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        try
        {
            await Assertions.Expect(arjun.Locator("[data-testid=waiting-for-you]")).ToContainTextAsync("nothing waits for you", new() { Timeout = Timeout });
            await olivia.GotoAsync("/runs");
            await Assertions.Expect(olivia.Locator("[data-testid=history]")).ToBeVisibleAsync(new() { Timeout = Timeout });

            var runs = console.Get<RunService>();
            var id = await runs.StartAsync(new StartRunRequest(DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters),
                new Actor(DemoUsers.Olivia.Name, [Roles.Operator]), CancellationToken.None);

            // Arjun's page was opened before the run existed: the count arrives live.
            await Assertions.Expect(arjun.Locator("[data-testid=waiting-count]")).ToContainTextAsync("1 waiting for you", new() { Timeout = Timeout });
            await arjun.Locator("[data-testid=waiting-count]").ClickAsync();
            var item = arjun.Locator($"[data-testid=waiting-list] li[data-run='{id}']").First;
            await Assertions.Expect(item).ToContainTextAsync("approve", new() { Timeout = Timeout });
            // The history Olivia opened before the run existed lists it without a reload.
            await Assertions.Expect(olivia.Locator($"tr[data-run='{id}']")).ToBeVisibleAsync(new() { Timeout = Timeout });
            // Olivia started it: four-eyes means it is not hers to approve.
            await Assertions.Expect(olivia.Locator("[data-testid=waiting-for-you]")).ToContainTextAsync("nothing waits for you", new() { Timeout = Timeout });

            await item.Locator("a").ClickAsync();
            await arjun.WaitForURLAsync($"**/runs/{id}");
            var step = await arjun.Locator("[data-testid=approval]").First.GetAttributeAsync("data-step");
            await runs.ApproveAsync(id, step!, new Actor(DemoUsers.Arjun.Name, [Roles.Approver]), "checked", CancellationToken.None);
            // The step list says who let the step run, when and why.
            var decision = arjun.Locator($"[data-testid=steps] li[data-step='{step}'] [data-testid=step-decision]");
            await Assertions.Expect(decision).ToContainTextAsync("Approved by arjun at ", new() { Timeout = Timeout });
            await Assertions.Expect(decision).ToContainTextAsync("UTC: checked", new() { Timeout = Timeout });
            // Later steps may wait again; this step's request is gone from the list (and the list from the bar, if nothing else waits).
            await Assertions.Expect(arjun.Locator($"[data-testid=waiting-list] li[data-run='{id}'][data-step='{step}']")).ToHaveCountAsync(0, new() { Timeout = Timeout });

            // The same request reached the configured webhook, with the link to the run.
            var notice = await hook.WaitForAsync(n => (string?)n["kind"] == RunNotice.ApprovalNeeded && (string?)n["runId"] == id.ToString(), "approval-needed");
            Assert.Equal($"https://recovery.example.test/runs/{id}", (string?)notice["link"]);
            await runs.CancelAsync(id, new Actor(DemoUsers.Olivia.Name, [Roles.Operator]), "test over", CancellationToken.None);
            await Assertions.Expect(olivia.Locator($"tr[data-run='{id}']")).ToContainTextAsync("Cancelled", new() { Timeout = Timeout });
        }
        catch
        {
            await arjun.ScreenshotAsync(new() { Path = "/tmp/waiting-for-you-failure.png", FullPage = true });
            throw;
        }
    }
}
