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

            // The page may not rejoin its session on the stopping console, so the stop is quick (a rejoined page
            // would hold it for the host's whole shutdown timeout, 30 s, and the page would look alive meanwhile).
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await first.DisposeAsync();
            first = null;
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"the console took {stopping.Elapsed} to stop");
            await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = Timeout });
            // Each state's words are in the banner; only the current state's paragraph shows.
            await Assertions.Expect(banner.Locator(".rc-connection-lost")).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(banner.Locator(".rc-connection-lost")).ToContainTextAsync("Connection lost, reconnecting...");
            await Assertions.Expect(banner.Locator(".rc-connection-ended")).ToBeHiddenAsync();
            await page.ScreenshotAsync(new() { Path = "/tmp/connection-lost.png" });

            await using var second = await TestConsole.StartAsync(dataDirectory: data, settings: [$"--urls=http://127.0.0.1:{port}"]);
            Assert.Equal(port, second.BaseAddress.Port);
            var ended = banner.Locator(".rc-connection-ended");
            await Assertions.Expect(ended).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(ended).ToContainTextAsync("The console restarted or the page's session ended: Reload");
            await Assertions.Expect(banner.Locator(".rc-connection-lost")).ToBeHiddenAsync();
            await page.ScreenshotAsync(new() { Path = "/tmp/connection-ended.png" });

            await ended.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync(DemoUsers.Olivia.Name, new() { Timeout = Timeout });
            await Assertions.Expect(banner).ToBeHiddenAsync();
            // Live again: a button works.
            await page.Locator("[data-procedure=sample-drill]").GetByRole(AriaRole.Button, new() { Name = "Start..." }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/procedures/sample-drill/start$"), new() { Timeout = Timeout });
            await page.Context.CloseAsync();
        }
        finally
        {
            if (first is not null) await StopAsync(first);
            TestConsole.DeleteData(data);
        }
    }

    [Fact]
    public async Task A_dropped_connection_that_rejoins_says_reconnected_then_goes_and_the_page_stays_live()
    {
        await using var console = await TestConsole.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        var banner = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(page.Locator("[data-procedure=sample-drill]")).ToBeVisibleAsync(new() { Timeout = Timeout });

        // The network drops the page's connection (blazor.web.js's own hook for it); the console still holds the session.
        await page.EvaluateAsync("() => Blazor._internal.forceCloseConnection()");
        var back = banner.Locator(".rc-connection-back");
        await Assertions.Expect(back).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(back).ToContainTextAsync("Reconnected.");
        await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = Timeout });

        // The same session, live: a client-side navigation and a button still work.
        await page.Locator("[data-procedure=sample-drill]").GetByRole(AriaRole.Button, new() { Name = "Start..." }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/procedures/sample-drill/start$"), new() { Timeout = Timeout });
        await page.Context.CloseAsync();
    }

    /// <summary>Cleanup after a failure: a stop that outlasts the shutdown timeout reports cancellation; the data goes anyway.</summary>
    private static async Task StopAsync(TestConsole console)
    {
        try { await console.DisposeAsync(); }
        catch (OperationCanceledException) { Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); }
    }
}
