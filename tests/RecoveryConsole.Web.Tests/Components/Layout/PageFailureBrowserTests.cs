using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Layout;

/// <summary>
/// An error on the server is never silent: a page that throws shows what failed and a Retry in the layout while the
/// rest stays live; an error that ends the page's session shows Blazor's error bar in words with a Reload.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PageFailureBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task A_page_that_throws_says_what_failed_the_top_bar_stays_live_and_retry_shows_the_page()
    {
        var history = new FailingRunHistory();
        await using var console = await TestConsole.StartAsync(configure: b => history.Install(b.Services));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);

        history.Failing = true;
        await page.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var failure = page.Locator("[data-testid=page-failure]");
        await Assertions.Expect(failure).ToContainTextAsync("This page failed: " + FailingRunHistory.Message, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/page-failure.png" });

        history.Failing = false;
        await failure.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=history]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(failure).ToHaveCountAsync(0);

        // A failure stays with its page: navigating away and back while the store fails, then to another page.
        history.Failing = true;
        await page.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "Drills" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Drills", new() { Timeout = Timeout });
        await page.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Assertions.Expect(failure).ToBeVisibleAsync(new() { Timeout = Timeout });
        await page.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "Drills" }).ClickAsync();
        await Assertions.Expect(failure).ToHaveCountAsync(0, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Drills", new() { Timeout = Timeout });
    }

    [Fact]
    public async Task An_error_that_ends_the_session_shows_the_error_bar_in_words_and_reload_gives_a_live_page()
    {
        var authorization = new FailingAuthorization();
        await using var console = await TestConsole.StartAsync(configure: b => authorization.Install(b.Services));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        var bar = page.Locator("#blazor-error-ui");
        await Assertions.Expect(bar).ToBeHiddenAsync();

        authorization.Failing = true;
        await page.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Assertions.Expect(bar).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(bar).ToContainTextAsync("This page stopped working: an error on the console ended its session.");
        // The reconnect banner stays away: there is nothing to reconnect to, the session ended on purpose.
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/circuit-failed.png" });

        authorization.Failing = false;
        await bar.GetByRole(AriaRole.Link, new() { Name = "Reload" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=history]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(bar).ToBeHiddenAsync();
    }
}
