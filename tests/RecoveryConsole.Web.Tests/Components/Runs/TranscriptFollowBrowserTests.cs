using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Runs;

/// <summary>
/// A reader following the tail sees the last line when a burst of output and the end of the run reach the page together,
/// as they did in CI under load (a finished run left showing lines 267-366 of 2,370): Virtualize's RefreshDataAsync does
/// not render by itself, and once the run is over nothing else renders the page again.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TranscriptFollowBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task A_reader_at_the_bottom_sees_the_last_line_when_a_burst_and_the_end_of_the_run_arrive_together()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: Path.Combine(AppContext.BaseDirectory, "burst-procedures"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);

        var runs = console.Get<RunService>();
        var runId = await runs.StartAsync(new StartRunRequest("burst-at-end", DemoUsers.LabCluster, DemoUsers.SampleParameters), RunDriver.Olivia,
            CancellationToken.None);
        await page.GotoAsync($"/runs/{runId}");
        var transcript = page.Locator("[data-testid=transcript]");
        await Assertions.Expect(page.Locator("textarea[name=manual-note]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(transcript.Locator(".rc-line[data-seq]").First).ToBeVisibleAsync(new() { Timeout = Timeout });

        // Confirmed from elsewhere (another operator, the API: RunDriver confirms in-process): the page only follows.
        var done = await RunDriver.CompleteAsync(console, runId);
        Assert.Equal(RunStatus.Succeeded, done.Status);

        await Assertions.Expect(page.Locator("[data-testid=line-count]")).ToHaveTextAsync($"{done.TranscriptLineCount:N0} lines", new() { Timeout = Timeout });
        var last = transcript.Locator($".rc-line[data-seq='{done.TranscriptLineCount}']");
        try
        {
            await Assertions.Expect(last).ToBeInViewportAsync(new() { Timeout = 15_000 });
        }
        catch (PlaywrightException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nRun page then: {await Browser.TranscriptStateAsync(page)}");
        }
        await Assertions.Expect(transcript).ToContainTextAsync("Run Succeeded");
    }
}
