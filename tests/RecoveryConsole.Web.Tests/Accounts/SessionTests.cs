using System.Net;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Accounts;

/// <summary>Sign-out renews the account's security stamp, which every request, hub call and circuit checks.</summary>
[Trait("Category", "Security")]
public sealed class SessionTests
{
    [Fact]
    public async Task A_cookie_copied_before_sign_out_is_worthless_after_it()
    {
        await using var console = await TestConsole.StartAsync();
        using var olivia = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        var copied = olivia.CookieHeader;
        using var thief = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = console.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await Replay(thief, copied, HttpMethod.Get, "/runs")).StatusCode);

        var signedOut = await olivia.SignOutAsync();
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        var page = await Replay(thief, copied, HttpMethod.Get, "/runs");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.AbsolutePath);
        var export = await Replay(thief, copied, HttpMethod.Get, $"/runs/{Guid.NewGuid()}/report.md");
        Assert.StartsWith("/login", export.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Replay(thief, copied, HttpMethod.Post, "/hubs/runs/negotiate?negotiateVersion=1")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_every_session_of_the_account_and_an_open_hub_connection_is_refused()
    {
        await using var console = await TestConsole.StartAsync();
        using var olivia = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var elsewhere = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        await using var hub = await HubClient.ConnectAsync(console.BaseAddress, elsewhere.Cookies);
        // A refusal for another reason first: the session itself is still good.
        var before = await Assert.ThrowsAsync<HubError>(() => hub.InvokeAsync("Cancel", Guid.NewGuid(), "no such run"));
        Assert.DoesNotContain("session has ended", before.Message);

        await olivia.SignOutAsync();

        var after = await Assert.ThrowsAsync<HubError>(() => hub.InvokeAsync("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters));
        Assert.EndsWith(SessionCheck.Ended, after.Message);
        Assert.Empty(await console.Get<Orchestration.Runs.IRunRepository>().ListAsync(new(), CancellationToken.None));
    }

    private static Task<HttpResponseMessage> Replay(HttpClient client, string cookies, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookies);
        return client.SendAsync(request);
    }
}
