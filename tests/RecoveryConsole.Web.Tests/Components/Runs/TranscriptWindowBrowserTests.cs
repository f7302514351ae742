using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Runs;

/// <summary>
/// A transcript longer than a browser can scroll (Chromium stops near 838,000 rows of 20 px) is held a window at a time:
/// here the window is made small (20,000 rows) so a 150,000-line run needs it. Go reaches a line outside the window,
/// Earlier/Later move it, and the page says which lines it shows.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TranscriptWindowBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task A_line_outside_the_window_is_reached_by_go_and_the_page_says_which_lines_it_holds()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: ChattyRun.ProceduresFolder, settings: ["--Console:TranscriptWindowRows=20000"]);
        var runId = await ChattyRun.StartAsync(console);
        var done = await RunDriver.CompleteAsync(console, runId);
        Assert.Equal(Orchestration.Runs.RunStatus.Succeeded, done.Status);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        try
        {
            await page.GotoAsync($"/runs/{runId}");
            var total = done.TranscriptLineCount;
            var window = page.Locator("[data-testid=transcript-window]");
            // The page opens at the tail: the window ends with the last line.
            await Assertions.Expect(window).ToContainTextAsync($"–{total:N0} of {total:N0} in view", new() { Timeout = Timeout });
            var transcript = page.Locator("[data-testid=transcript]");
            await Assertions.Expect(transcript.Locator($".rc-line[data-seq='{total}']")).ToBeVisibleAsync(new() { Timeout = Timeout });

            // Line 777 is far before the window: Go moves the window around it and shows it highlighted.
            await page.FillAsync("[data-testid=goto-line]", "777");
            await page.PressAsync("[data-testid=goto-line]", "Enter");
            await Assertions.Expect(transcript.Locator(".rc-line-current[data-seq='777']")).ToBeInViewportAsync(new() { Timeout = Timeout });
            await Assertions.Expect(window).ToContainTextAsync($"Showing lines 1–20,000 of {total:N0}");
            await Assertions.Expect(window.GetByRole(AriaRole.Button, new() { Name = "Earlier" })).ToBeDisabledAsync();

            // Later moves half a window on; the rows in view are the next ones.
            await window.GetByRole(AriaRole.Button, new() { Name = "Later" }).ClickAsync();
            await Assertions.Expect(window).ToContainTextAsync($"Showing lines 10,001–30,000 of {total:N0}", new() { Timeout = Timeout });
            await Assertions.Expect(transcript.Locator(".rc-line[data-seq='10001']")).ToBeVisibleAsync(new() { Timeout = Timeout });

            // Jump to latest returns to the tail window.
            await page.Locator(".rc-jump").ClickAsync();
            await Assertions.Expect(window).ToContainTextAsync($"–{total:N0} of {total:N0} in view", new() { Timeout = Timeout });
            await Assertions.Expect(transcript.Locator($".rc-line[data-seq='{total}']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = "/tmp/transcript-window-failure.png", FullPage = true });
            throw;
        }
    }
}
