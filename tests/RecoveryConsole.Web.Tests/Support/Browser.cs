using Microsoft.Playwright;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), and signing in through the login page.</summary>
public static class Browser
{
    public const float Timeout = 60_000;

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        // Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });

    /// <summary>A fresh browser context signed in as <paramref name="user"/>, on the console's home page.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, TestConsole console, (string Name, string Password) user)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = console.BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login**");
        await page.FillAsync("#userName", user.Name);
        await page.FillAsync("#password", user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync(user.Name, new() { Timeout = Timeout });
        return page;
    }

    /// <summary>What a run page's transcript showed, for a failure message: a flake under load is then diagnosable from the CI log.</summary>
    public static async Task<string> TranscriptStateAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<string>("""
                () => {
                  const el = document.querySelector('[data-testid=transcript]');
                  const count = document.querySelector('[data-testid=line-count]')?.textContent;
                  const status = document.querySelector('[data-testid=run-status]')?.textContent;
                  const banner = document.getElementById('components-reconnect-modal')?.className;
                  const error = document.querySelector('[data-testid=page-failure]')?.textContent;
                  if (!el) return `no transcript; count ${count}; status ${status}; connection ${banner}; error ${error}`;
                  const rows = [...el.querySelectorAll('.rc-line[data-seq]')].map(r => r.dataset.seq);
                  return `line-count "${count}", status "${status}", rows ${rows[0]}-${rows[rows.length - 1]} (${rows.length}), ` +
                    `scrollTop ${el.scrollTop} of ${el.scrollHeight} (client ${el.clientHeight}), pinned ${el.rcPinned}, ` +
                    `connection "${banner}", error "${error}"`;
                }
                """);
        }
        catch (PlaywrightException e)
        {
            return "transcript state unavailable: " + e.Message;
        }
    }
}
