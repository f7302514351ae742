using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Layout;

/// <summary>
/// A page whose console went away says so in words, and after the console is back (a restart: same data, same port,
/// the page's session gone) it says that a reload is needed; the reload gives a live page again.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ConnectionBannerBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task A_console_restart_shows_connection_lost_then_session_ended_and_reload_gives_a_live_page()
    {
        var data = TestConsole.NewDataDirectory();
        TestConsole? first = null;
        try
        {
            first = await TestConsole.StartAsync(dataDirectory: data);
            var port = first.BaseAddress.Port;
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignInAsync(browser, first, DemoUsers.Olivia);
            var banner = page.Locator("#components-reconnect-modal");
            await Assertions.Expect(page.Locator("[data-procedure=sample-drill]")).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(banner).ToBeHiddenAsync();

            await first.DisposeAsync();
            first = null;
            await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(banner).ToContainTextAsync("Connection lost, reconnecting...", new() { Timeout = Timeout });
            await page.ScreenshotAsync(new() { Path = "/tmp/connection-lost.png" });

            await using var second = await TestConsole.StartAsync(dataDirectory: data, settings: [$"--urls=http://127.0.0.1:{port}"]);
            Assert.Equal(port, second.BaseAddress.Port);
            await Assertions.Expect(banner).ToContainTextAsync("The console restarted or the page's session ended: Reload", new() { Timeout = Timeout });
            await Assertions.Expect(banner.GetByText("Connection lost")).ToBeHiddenAsync();
            await page.ScreenshotAsync(new() { Path = "/tmp/connection-ended.png" });

            await banner.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync(DemoUsers.Olivia.Name, new() { Timeout = Timeout });
            await Assertions.Expect(banner).ToBeHiddenAsync();
            // Live again: a button works.
            await page.Locator("[data-procedure=sample-drill]").GetByRole(AriaRole.Button, new() { Name = "Start..." }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/procedures/sample-drill/start$"), new() { Timeout = Timeout });
        }
        finally
        {
            if (first is not null) await first.DisposeAsync();
            TestConsole.DeleteData(data);
        }
    }
}
