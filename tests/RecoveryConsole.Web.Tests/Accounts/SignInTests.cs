using System.Net;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Accounts;

[Trait("Category", "Security")]
public sealed class SignInTests
{
    [Fact]
    public async Task Unknown_user_wrong_password_and_lockout_get_the_same_words_and_are_audited_without_the_password()
    {
        await using var console = await TestConsole.StartAsync();
        using var client = new ConsoleClient(console.BaseAddress);

        var unknown = await client.PostLoginAsync("nobody-here", "secret-typed-1");
        var wrong = await client.PostLoginAsync("olivia", "secret-typed-2");
        Assert.Equal(Error(unknown), Error(wrong));
        Assert.Equal(AccountEndpoints.SignInRefused, Error(wrong));

        // Ten failures (MaxFailedAccessAttempts) lock the account; the next attempt, even with the right password, reads the same.
        for (var i = 3; i <= 11; i++) await client.PostLoginAsync("olivia", $"secret-typed-{i}");
        var locked = await client.PostLoginAsync(DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        Assert.Equal(AccountEndpoints.SignInRefused, Error(locked));

        var audit = await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
        var failed = audit.Where(e => e.Kind == AuditKinds.AccountSignInFailed).ToList();
        Assert.Contains(failed, e => e.Actor == SignInAttempts.Anonymous && e.Detail.Contains("unknown user name"));
        Assert.Contains(failed, e => e.Actor == "olivia" && e.Detail.Contains("wrong password (1 failed in a row) from 127.0.0.1"));
        Assert.Contains(audit, e => e.Kind == AuditKinds.AccountLockedOut && e.Actor == "olivia");
        Assert.DoesNotContain("nobody-here", string.Join("\n", audit.Select(e => e.Actor + e.Detail)));
        Assert.DoesNotContain("secret-typed", string.Join("\n", audit.Select(e => e.Actor + e.Detail)));
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.Login && e.Actor == "olivia");
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/runs\r\nSet-Cookie: x=1")]
    [InlineData("/\u2028x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/%")]
    [InlineData("")]
    public async Task A_malformed_return_url_signs_in_to_the_start_page_never_a_500(string returnUrl)
    {
        await using var console = await TestConsole.StartAsync();
        using var client = new ConsoleClient(console.BaseAddress);

        var refused = await client.PostLoginAsync("olivia", "wrong-password", returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login?", refused.Headers.Location!.OriginalString);

        var signedIn = await client.PostLoginAsync(DemoUsers.Olivia.Name, DemoUsers.Olivia.Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(returnUrl == "/%" ? "/%" : "/", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/login?returnUrl=" + Uri.EscapeDataString(returnUrl))).StatusCode);
    }

    [Fact]
    public async Task A_nul_in_the_posted_form_is_a_bad_request_not_a_500_and_in_the_query_it_is_harmless()
    {
        await using var console = await TestConsole.StartAsync();
        using var client = new ConsoleClient(console.BaseAddress);

        // ASP.NET Core's form reader refuses NUL (400) before the endpoint runs; browsers never send one (HTML turns it into U+FFFD).
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostLoginAsync("olivia", "wrong-password", "/\u0000")).StatusCode);
        var page = await client.Http.GetAsync("/login?returnUrl=%2F%00%0d%0a");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"returnUrl\" value=\"/\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_long_return_url_and_user_name_are_refused_in_words()
    {
        await using var console = await TestConsole.StartAsync();
        using var client = new ConsoleClient(console.BaseAddress);

        var response = await client.PostLoginAsync(new string('u', 5000), "x", "/" + new string('r', 10_000));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("returnUrl=%2F&", response.Headers.Location!.OriginalString);
        Assert.True(response.Headers.Location!.OriginalString.Length < 1000);
    }

    private static string Error(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location[location.IndexOf('?')..]);
        return query["error"].ToString();
    }
}
