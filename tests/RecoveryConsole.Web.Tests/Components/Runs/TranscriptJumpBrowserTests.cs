using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Runs;

/// <summary>
/// Go to line reads the rows around the line before it scrolls, so the page lands on the lines themselves: never on a
/// screen of loading placeholders while rows are fetched, inside the window or moving it. The store is made slow (every
/// page of rows 400 ms late) so that anything shown while waiting for rows would be seen. The reader then stays where
/// they jumped: the page's renders do not take them back to the tail.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TranscriptJumpBrowserTests
{
    private const float Timeout = Browser.Timeout;
    private const int Lines = 30_000;

    // Armed before Enter: every frame until the highlighted line is in view, notes any placeholder row in view.
    private const string Watch = """
        target => {
          const probe = window.rcLandingProbe = { target, shown: false, placeholders: 0 };
          const box = document.querySelector('[data-testid=transcript]');
          const inView = e => { const r = e.getBoundingClientRect(), b = box.getBoundingClientRect(); return r.bottom > b.top && r.top < b.bottom; };
          (function frame() {
            if (window.rcLandingProbe !== probe) return;
            probe.placeholders = Math.max(probe.placeholders, [...box.querySelectorAll('.rc-line-loading')].filter(inView).length);
            const row = box.querySelector(".rc-line-current[data-seq='" + target + "']");
            if (row && inView(row)) { probe.shown = true; return; }
            requestAnimationFrame(frame);
          })();
        }
        """;

    [Fact]
    public async Task Go_to_line_lands_on_the_lines_themselves_not_on_placeholders_and_stays_there_even_when_the_store_is_slow()
    {
        var slow = new SlowTranscriptPages(TimeSpan.FromMilliseconds(400));
        await using var console = await TestConsole.StartAsync(configure: b => slow.Install(b.Services), settings: ["--Console:TranscriptWindowRows=20000"]);
        var runId = await StoreRunAsync(console);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        try
        {
            await page.GotoAsync($"/runs/{runId}");
            var transcript = page.Locator("[data-testid=transcript]");
            var window = page.Locator("[data-testid=transcript-window]");
            await Assertions.Expect(transcript.Locator($".rc-line[data-seq='{Lines}']")).ToBeInViewportAsync(new() { Timeout = Timeout });
            await Assertions.Expect(window).ToContainTextAsync($"Showing lines 15,001–30,000 of {Lines:N0}"); // the tail, moved a quarter window at a time

            // Inside the window, then far before it (the window moves), then back to its end (it moves again).
            foreach (var (line, shows) in new[] { (24_321, "15,001–30,000"), (1_234, "1–20,000"), (29_990, "10,001–30,000") })
            {
                await page.FillAsync("[data-testid=goto-line]", line.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await page.EvaluateAsync(Watch, line);
                await page.PressAsync("[data-testid=goto-line]", "Enter");
                await page.WaitForFunctionAsync("() => window.rcLandingProbe.shown", null, new() { Timeout = Timeout });
                Assert.Equal(0, await page.EvaluateAsync<int>("() => window.rcLandingProbe.placeholders"));
                await Assertions.Expect(transcript.Locator($".rc-line-current[data-seq='{line}'] .rc-text")).ToHaveTextAsync($"line {line} of the drill");
                await Assertions.Expect(window).ToContainTextAsync($"Showing lines {shows} of {Lines:N0}");
                // The run is active, so the page renders every second: none of those renders takes the reader back to the tail.
                await page.WaitForTimeoutAsync(1_500);
                await Assertions.Expect(window).ToContainTextAsync($"Showing lines {shows} of {Lines:N0}");
                await Assertions.Expect(transcript.Locator($".rc-line-current[data-seq='{line}']")).ToBeInViewportAsync();
            }
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = "/tmp/transcript-jump-failure.png" });
            throw;
        }
    }

    /// <summary>A finished run's transcript written straight into the store (no procedure needs to print it).</summary>
    private static async Task<Guid> StoreRunAsync(TestConsole console)
    {
        var run = new Run("chatty-drill", "Transcript jumps", "1", DemoUsers.LabCluster, true, "{}", DemoUsers.Olivia.Name, DateTimeOffset.UtcNow);
        await console.Get<IRunRepository>().AddAsync(run, CancellationToken.None);
        var lines = Enumerable.Range(1, Lines).Select(seq => new TranscriptLine(run.Id, seq, "stream", "master-0",
            OutputStream.Stdout, DateTimeOffset.UtcNow, $"line {seq} of the drill")).ToList();
        await console.Get<ITranscriptStore>().AppendAsync(lines, CancellationToken.None);
        return run.Id;
    }
}
