using System.Net;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task Console_starts_with_health_blazor_script_login_and_a_migrated_database()
    {
        await using var console = await TestConsole.StartAsync();
        using var client = new ConsoleClient(console.BaseAddress);

        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/_framework/blazor.web.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/_content/Radzen.Blazor/Radzen.Blazor.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/js/transcript.js")).StatusCode);

        var home = await client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login", home.Headers.Location!.AbsolutePath);

        var login = await client.Http.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var page = await login.Content.ReadAsStringAsync();
        Assert.Contains("demo accounts", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("olivia", page);

        Assert.True(File.Exists(Path.Combine(console.DataDirectory, "recoveryconsole.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(console.DataDirectory, "keys")));
    }

    [Fact]
    public async Task Exports_and_the_hub_need_a_signed_in_user()
    {
        await using var console = await TestConsole.StartAsync();
        using var client = new ConsoleClient(console.BaseAddress);

        var export = await client.Http.GetAsync($"/runs/{Guid.NewGuid()}/transcript.txt");
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
        Assert.StartsWith("/login", export.Headers.Location!.AbsolutePath);
        var hub = await client.Http.PostAsync("/hubs/runs/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_is_refused_and_a_signed_in_user_reaches_the_pages()
    {
        await using var console = await TestConsole.StartAsync();
        using var stranger = new ConsoleClient(console.BaseAddress);
        var refused = await stranger.PostLoginAsync("olivia", "not-her-password");
        Assert.Contains("error=", refused.Headers.Location!.OriginalString);

        using var olivia = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        Assert.Equal(HttpStatusCode.OK, (await olivia.Http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await olivia.Http.GetAsync("/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await olivia.Http.GetAsync($"/runs/{Guid.NewGuid()}/report.md")).StatusCode);
    }

    [Fact]
    public async Task Without_the_lab_there_are_no_demo_accounts()
    {
        await using var console = await TestConsole.StartAsync(lab: false);
        using var client = new ConsoleClient(console.BaseAddress);

        var page = await client.Http.GetStringAsync("/login");
        Assert.DoesNotContain("demo accounts", page, StringComparison.OrdinalIgnoreCase);
        var refused = await client.PostLoginAsync(DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        Assert.Contains("error=", refused.Headers.Location!.OriginalString);
    }
}
