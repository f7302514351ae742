using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// Times one "Go to line" on the run page as the reader sees it: from the Enter key's keydown in the page to the first
/// animation frame in which the highlighted line lies inside the transcript's visible area (the page's own clock, so
/// Playwright's typing and polling are not counted). The Playwright wall time from Enter to the same state is kept too.
/// </summary>
public static class TranscriptJumpProbe
{
    public sealed record Jump(int Line, double InPageMs, double WallMs, bool MovedWindow);

    private const string Arm = """
        target => {
          const probe = window.rcJumpProbe = { target, start: null, shown: null };
          const input = document.querySelector('[data-testid=goto-line]');
          input.addEventListener('keydown', e => { if (e.key === 'Enter' && probe.start === null) probe.start = performance.now(); }, { capture: true });
          (function watch() {
            if (window.rcJumpProbe !== probe) return;
            const row = document.querySelector(".rc-line-current[data-seq='" + target + "']");
            const box = document.querySelector('[data-testid=transcript]');
            if (probe.start !== null && row && box) {
              const r = row.getBoundingClientRect(), b = box.getBoundingClientRect();
              if (r.top >= b.top - 1 && r.bottom <= b.bottom + 1) { probe.shown = performance.now(); return; }
            }
            requestAnimationFrame(watch);
          })();
        }
        """;

    /// <summary>Types the line, presses Enter and waits (up to <paramref name="timeoutMs"/>) until it is shown; null when it never was.</summary>
    public static async Task<Jump?> GoAsync(IPage page, int line, float timeoutMs)
    {
        var windowBefore = await WindowTextAsync(page);
        await page.FillAsync("[data-testid=goto-line]", line.ToString(CultureInfo.InvariantCulture));
        await page.EvaluateAsync(Arm, line);
        var clock = Stopwatch.StartNew();
        await page.PressAsync("[data-testid=goto-line]", "Enter");
        try
        {
            await page.WaitForFunctionAsync("() => window.rcJumpProbe.shown !== null", null, new() { Timeout = timeoutMs, PollingInterval = 5 });
        }
        catch (TimeoutException) { return null; }
        var wall = clock.Elapsed.TotalMilliseconds;
        var inPage = await page.EvaluateAsync<double>("() => window.rcJumpProbe.shown - window.rcJumpProbe.start");
        return new Jump(line, inPage, wall, await WindowTextAsync(page) != windowBefore);
    }

    private static async Task<string> WindowTextAsync(IPage page) =>
        await page.EvaluateAsync<string>("() => document.querySelector('[data-testid=transcript-window]')?.textContent ?? ''");
}

