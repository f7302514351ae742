using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Runs;

/// <summary>
/// The transcript as a tool, on a real 150,000-line run in Chromium: search finds lines far from the rendered rows
/// (browser find cannot), Enter walks the hits, a line number jumps, the stream filter narrows on the server, the wrap
/// toggle is remembered, step@host is readable, and a search across runs links to the line.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TranscriptViewBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task Search_jump_filters_wrap_and_line_links_work_on_a_150000_line_transcript()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: ChattyRun.ProceduresFolder);
        var runId = await ChattyRun.StartAsync(console);
        var done = await RunDriver.CompleteAsync(console, runId);
        Assert.Equal(Orchestration.Runs.RunStatus.Succeeded, done.Status);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);

        await page.GotoAsync($"/runs/{runId}");
        var transcript = page.Locator("[data-testid=transcript]");
        await Assertions.Expect(page.Locator("[data-testid=line-count]")).ToHaveTextAsync($"{done.TranscriptLineCount:N0} lines", new() { Timeout = Timeout });
        // Only a window of rows is in the page.
        await Assertions.Expect(transcript.Locator(".rc-line").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.InRange(await transcript.Locator(".rc-line").CountAsync(), 1, 400);

        // Search: two lines contain 23456 (23456 and 123456), both far above the rows in view (the page opens at the end).
        Assert.Equal(0, await transcript.Locator(".rc-line", new() { HasTextString = "23456" }).CountAsync());
        await page.FillAsync("[data-testid=transcript-search]", "23456");
        await page.PressAsync("[data-testid=transcript-search]", "Enter");
        await Assertions.Expect(page.Locator("[data-testid=hit-status]")).ToHaveTextAsync("hit 1 of 2", new() { Timeout = Timeout });
        var current = transcript.Locator(".rc-line-current");
        await Assertions.Expect(current).ToBeInViewportAsync(new() { Timeout = Timeout });
        await Assertions.Expect(current.Locator(".rc-text")).ToHaveTextAsync("23456");
        await Assertions.Expect(current.Locator("mark")).ToHaveTextAsync("23456");
        // The readable step@host column, the full instance path in its title.
        await Assertions.Expect(current.Locator(".rc-where")).ToHaveTextAsync(new Regex("^stream@[a-z0-9.-]+$"));
        Assert.Matches("^stream@", await current.Locator(".rc-where").GetAttributeAsync("title") ?? "");
        await page.PressAsync("[data-testid=transcript-search]", "Enter");
        await Assertions.Expect(page.Locator("[data-testid=hit-status]")).ToHaveTextAsync("hit 2 of 2", new() { Timeout = Timeout });
        await Assertions.Expect(current.Locator(".rc-text")).ToHaveTextAsync("123456", new() { Timeout = Timeout });
        await Assertions.Expect(current).ToBeInViewportAsync();

        // Jump to a line number.
        await page.FillAsync("[data-testid=goto-line]", "777");
        await page.PressAsync("[data-testid=goto-line]", "Enter");
        await Assertions.Expect(transcript.Locator(".rc-line-current[data-seq='777']")).ToBeInViewportAsync(new() { Timeout = Timeout });

        // Filter by stream, counted and paged on the server: the console's own lines only.
        await page.SelectOptionAsync("[data-testid=stream-filter]", "console");
        await Assertions.Expect(page.Locator("[data-testid=line-count]")).ToHaveTextAsync(new Regex($"^\\d{{1,3}} of {done.TranscriptLineCount:N0} lines$"), new() { Timeout = Timeout });
        await Assertions.Expect(transcript.Locator(".rc-line.rc-system").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(transcript.Locator(".rc-line[data-seq]:not(.rc-system)")).ToHaveCountAsync(0, new() { Timeout = Timeout });
        await page.SelectOptionAsync("[data-testid=stream-filter]", "stderr");
        await Assertions.Expect(transcript).ToContainTextAsync("No line matches the filter.", new() { Timeout = Timeout });
        await page.SelectOptionAsync("[data-testid=stream-filter]", "");
        await Assertions.Expect(page.Locator("[data-testid=line-count]")).ToHaveTextAsync($"{done.TranscriptLineCount:N0} lines", new() { Timeout = Timeout });

        // Wrap: toggled, and remembered by this browser after a reload.
        await Assertions.Expect(transcript).Not.ToHaveClassAsync(new Regex("rc-wrap"));
        await page.CheckAsync("[data-testid=wrap-toggle]");
        await Assertions.Expect(transcript).ToHaveClassAsync(new Regex("rc-wrap"));
        // A link to a line opens the run there, highlighted.
        await page.GotoAsync($"/runs/{runId}?line=5000");
        await Assertions.Expect(transcript.Locator(".rc-line-current[data-seq='5000']")).ToBeInViewportAsync(new() { Timeout = Timeout });
        await Assertions.Expect(transcript).ToHaveClassAsync(new Regex("rc-wrap"));
        await Assertions.Expect(page.Locator("[data-testid=wrap-toggle]")).ToBeCheckedAsync();

        // Across runs: the history page lists the hit and links to its line.
        await page.GotoAsync("/runs");
        await page.FillAsync("[data-testid=transcripts-search]", "149998");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search transcripts" }).ClickAsync();
        var link = page.Locator("[data-testid=hit-link]");
        await Assertions.Expect(link).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-testid=transcript-hits] mark")).ToHaveTextAsync("149998");
        await link.ClickAsync();
        await page.WaitForURLAsync(new Regex($"/runs/{runId}\\?line=\\d+$"));
        await Assertions.Expect(transcript.Locator(".rc-line-current .rc-text")).ToHaveTextAsync("149998", new() { Timeout = Timeout });
        await Assertions.Expect(transcript.Locator(".rc-line-current")).ToBeInViewportAsync();
    }
}
