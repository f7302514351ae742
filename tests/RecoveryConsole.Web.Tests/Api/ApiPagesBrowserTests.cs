using System.Net;
using Microsoft.Playwright;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>The tokens page shows a new token once and lists it without its secret; the /api page lists the operations, under the CSP.</summary>
[Trait("Category", "Browser")]
[Trait("Category", "Security")]
public sealed class ApiPagesBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task A_token_made_on_the_page_is_shown_once_works_on_the_api_and_the_api_page_lists_every_operation()
    {
        await using var console = await TestConsole.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        var blocked = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) blocked.Add(m.Text); };

        await page.GetByRole(AriaRole.Link, new() { Name = "API tokens" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Personal API tokens", new() { Timeout = Timeout });
        // olivia is an operator: she may give a token operator or viewer, never approver.
        await Assertions.Expect(page.Locator("[data-role=approver]")).ToHaveCountAsync(0);
        await page.Locator("input[name=token-name]").FillAsync("game-day CI");
        await page.Locator("[data-role=operator] .rz-chkbox-box").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Make token" }).ClickAsync();
        var shown = page.Locator("[data-testid=new-token]");
        await Assertions.Expect(shown).ToContainTextAsync("rc_", new() { Timeout = Timeout });
        var secret = (await shown.InnerTextAsync()).Trim();
        await Assertions.Expect(page.Locator("[data-token='game-day CI']")).ToContainTextAsync("operator");

        using (var api = new ApiClient(console.BaseAddress, secret))
            await ApiClient.ExpectAsync(await api.GetAsync("/api/v1/runs"), HttpStatusCode.OK);

        // Shown once: after a reload the list has the token, and the page nowhere has its secret.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-token='game-day CI']")).ToContainTextAsync("active", new() { Timeout = Timeout });
        Assert.DoesNotContain(secret[3..], await page.ContentAsync());
        await page.Locator("[data-token='game-day CI']").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-token='game-day CI']")).ToContainTextAsync("revoked by olivia", new() { Timeout = Timeout });
        using (var api = new ApiClient(console.BaseAddress, secret))
            await ApiClient.ExpectAsync(await api.GetAsync("/api/v1/runs"), HttpStatusCode.Unauthorized);

        await page.GotoAsync("/api");
        var operations = page.Locator("[data-testid=api-operations]");
        foreach (var operation in new[]
                 {
                     "GET /api/v1/procedures", "GET /api/v1/clusters", "POST /api/v1/runs", "GET /api/v1/runs", "GET /api/v1/runs/{id}",
                     "GET /api/v1/runs/{id}/transcript", "GET /api/v1/runs/{id}/events", "POST /api/v1/runs/{id}/steps/{step}/approve",
                     "POST /api/v1/runs/{id}/steps/{step}/reject", "POST /api/v1/runs/{id}/steps/{step}/confirm", "POST /api/v1/runs/{id}/steps/{step}/input",
                     "POST /api/v1/runs/{id}/cancel", "POST /api/v1/runs/{id}/resume", "POST /api/v1/runs/{id}/retry", "GET /api/v1/lab/scenarios",
                     "POST /api/v1/lab/{cluster}/scenarios/{scenario}/stage", "POST /api/v1/lab/{cluster}/reset", "GET /api/v1/lab/{cluster}/health",
                 })
            await Assertions.Expect(operations.Locator($"[data-operation='{operation}']")).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(operations.Locator("[data-operation='GET /api/v1/runs/{id}/events']"))
            .ToContainTextAsync("ENDS by itself once the run is over", new() { Timeout = Timeout });

        // The document the page points to: the bearer scheme and every operation.
        var document = await page.APIRequest.GetAsync("/openapi/v1.json");
        Assert.Equal(200, document.Status);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await document.TextAsync())!;
        Assert.Equal("bearer", (string?)json["components"]!["securitySchemes"]!["PersonalToken"]!["scheme"]);
        Assert.Equal("Follow a run live (NDJSON or server-sent events)", (string?)json["paths"]!["/api/v1/runs/{id}/events"]!["get"]!["summary"]);
        Assert.Null(json["paths"]!["/account/login"]);
        Assert.Empty(blocked);
    }
}
