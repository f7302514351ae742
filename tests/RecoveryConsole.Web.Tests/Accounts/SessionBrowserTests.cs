using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Accounts;

/// <summary>An open Blazor circuit re-checks its sign-in: a sign-out elsewhere takes the page back to the login.</summary>
[Trait("Category", "Security")]
[Trait("Category", "Browser")]
public sealed class SessionBrowserTests
{
    [Fact]
    public async Task An_open_page_returns_to_the_login_when_the_account_signs_out_elsewhere()
    {
        await using var console = await TestConsole.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        await page.GotoAsync("/runs");
        await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToContainTextAsync("olivia", new() { Timeout = Browser.Timeout });

        using var elsewhere = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        await elsewhere.SignOutAsync();

        // The circuit re-validates every 10 s; no navigation by the user is needed.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 45_000 });
    }
}
