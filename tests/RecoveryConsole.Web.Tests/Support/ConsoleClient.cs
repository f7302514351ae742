using System.Net;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>An HttpClient signed in as one user through the real login form (antiforgery token included).</summary>
public sealed partial class ConsoleClient : IDisposable
{
    public ConsoleClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public HttpClient Http { get; }
    public CookieContainer Cookies { get; }

    public static Task<ConsoleClient> SignInAsync(TestConsole console, string userName, string password) =>
        SignInAsync(console.BaseAddress, userName, password);

    public static async Task<ConsoleClient> SignInAsync(Uri baseAddress, string userName, string password)
    {
        var client = new ConsoleClient(baseAddress);
        var response = await client.PostLoginAsync(userName, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("error=", response.Headers.Location?.OriginalString ?? "");
        return client;
    }

    public async Task<HttpResponseMessage> PostLoginAsync(string userName, string password, string returnUrl = "/")
    {
        var page = await Http.GetStringAsync("/login");
        var token = Token().Match(page).Groups[1].Value;
        return await Http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = userName, ["password"] = password, ["returnUrl"] = returnUrl,
        }));
    }

    /// <summary>The Sign out button's form post (its antiforgery token is issued for the signed-in user).</summary>
    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var page = await Http.GetStringAsync("/login");
        var token = Token().Match(page).Groups[1].Value;
        return await Http.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>The cookies as a browser would send them: what somebody who copied them could replay.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(Http.BaseAddress!);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    public void Dispose() => Http.Dispose();
}
