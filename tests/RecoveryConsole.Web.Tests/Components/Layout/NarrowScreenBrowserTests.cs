using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Layout;

/// <summary>
/// At 800 px wide and on a tablet (1024x768) nothing is cut off: the top bar's links, "waiting for you" and the user,
/// the home page's procedures, and the run page's step list, attention card and transcript are visible and inside the
/// window's width, and no page is wider than the window.
/// </summary>
[Trait("Category", "Browser")]
public sealed class NarrowScreenBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Theory]
    [InlineData(800, 900)]
    [InlineData(1024, 768)]
    public async Task Top_bar_home_page_and_run_page_fit_the_window(int width, int height)
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        await page.SetViewportSizeAsync(width, height);

        await Assertions.Expect(page.Locator("[data-procedure=sample-drill]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await AssertTopBarFitsAsync(page, width);
        await AssertInsideAsync(page.Locator("[data-procedure=sample-drill]"), width);
        await AssertInsideAsync(page.Locator("[data-procedure=sample-drill]").GetByRole(AriaRole.Button, new() { Name = "Start..." }), width);
        await AssertNoSidewaysScrollAsync(page, width);
        await page.ScreenshotAsync(new() { Path = $"/tmp/home-{width}x{height}.png" });

        await page.GotoAsync($"/runs/{runId}");
        await Assertions.Expect(page.Locator("[data-testid=approval]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("[data-testid=transcript] .rc-line").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await AssertTopBarFitsAsync(page, width);
        var steps = await AssertInsideAsync(page.Locator(".rc-run-steps"), width);
        var approval = await AssertInsideAsync(page.Locator("[data-testid=approval]"), width);
        var transcript = await AssertInsideAsync(page.Locator("[data-testid=transcript]"), width);
        await AssertInsideAsync(page.Locator("[data-testid=run-status]").Locator("..").Locator("h1"), width);
        // Usable, not merely present: the step list and transcript keep room for several lines.
        Assert.True(steps.Height >= 100, $"step list {steps.Height}px tall");
        Assert.True(transcript.Height >= 150, $"transcript {transcript.Height}px tall");
        Assert.True(approval.Height > 0);
        await AssertNoSidewaysScrollAsync(page, width);
        await page.ScreenshotAsync(new() { Path = $"/tmp/run-{width}x{height}.png", FullPage = true });
    }

    private static async Task AssertTopBarFitsAsync(IPage page, int width)
    {
        var links = page.Locator(".rc-nav a");
        Assert.True(await links.CountAsync() >= 5);
        for (var i = 0; i < await links.CountAsync(); i++) await AssertInsideAsync(links.Nth(i), width);
        await AssertInsideAsync(page.Locator("[data-testid=waiting-for-you]"), width);
        await AssertInsideAsync(page.Locator("[data-testid=current-user]"), width);
        await AssertInsideAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }), width);
        await AssertInsideAsync(page.Locator(".rc-brand"), width);
    }

    private static async Task<LocatorBoundingBoxResult> AssertInsideAsync(ILocator element, int width)
    {
        await Assertions.Expect(element).ToBeVisibleAsync(new() { Timeout = Timeout });
        var box = await element.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException("no box");
        var what = await element.EvaluateAsync<string>("e => e.className || e.tagName");
        Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5,
            $"{what} spans x {box.X:0}..{box.X + box.Width:0}, outside the window's 0..{width}");
        Assert.True(box.Width > 0 && box.Height > 0, $"{what} has no size");
        return box;
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth}px wide in a {width}px window");
    }
}
