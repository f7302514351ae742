using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Components.Pages;

/// <summary>The catalog page follows the procedures folder live: a broken edit appears with line and field, the good version stays offered.</summary>
[Trait("Category", "Browser")]
public sealed class CatalogReloadBrowserTests
{
    private static string Procedure(string title, string action) => $$"""
        id: reload-drill
        title: {{title}}
        source: { document: d.txt, section: "1" }
        steps:
          - { id: s, title: S, section: "1", action: {{action}} }

        """;

    [Fact]
    public async Task A_broken_edit_shows_its_line_and_field_without_a_page_reload_and_the_good_version_stays()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rc-web-procedures-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "reload-drill.yaml");
        await File.WriteAllTextAsync(file, Procedure("Reload drill", "approveCsrs"));
        try
        {
            await using var console = await TestConsole.StartAsync(proceduresFolder: folder);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
            var card = page.Locator("[data-procedure='reload-drill']");
            await Assertions.Expect(card).ToContainTextAsync("Reload drill", new() { Timeout = Browser.Timeout });
            var navigations = 0;
            page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

            await File.WriteAllTextAsync(file, Procedure("Reload drill broken", "approveEverything"));

            var invalid = page.Locator("[data-invalid-file='reload-drill.yaml']");
            await Assertions.Expect(invalid).ToContainTextAsync("line 5", new() { Timeout = Browser.Timeout });
            await Assertions.Expect(invalid).ToContainTextAsync("action");
            await Assertions.Expect(invalid).ToContainTextAsync("approveEverything");
            await Assertions.Expect(invalid).ToContainTextAsync("stays in service");
            await Assertions.Expect(card).ToContainTextAsync("Reload drill"); // the good version is still offered
            await Assertions.Expect(card.Locator("[data-testid=newer-version-invalid]")).ToHaveCountAsync(1);

            await File.WriteAllTextAsync(file, Procedure("Reload drill fixed", "approveCsrs"));

            await Assertions.Expect(invalid).ToHaveCountAsync(0, new() { Timeout = Browser.Timeout });
            await Assertions.Expect(card).ToContainTextAsync("Reload drill fixed");
            Assert.Equal(0, navigations); // all of it arrived over the open circuit
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
