using System.Net;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Hosting;

[Trait("Category", "Security")]
public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task Pages_static_files_endpoints_redirects_and_errors_carry_the_security_headers()
    {
        await using var console = await TestConsole.StartAsync();
        using var anonymous = new ConsoleClient(console.BaseAddress);
        using var olivia = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);

        var responses = new[]
        {
            await anonymous.Http.GetAsync("/login"),
            await anonymous.Http.GetAsync("/_framework/blazor.web.js"),
            await anonymous.Http.GetAsync("/_content/Radzen.Blazor/Radzen.Blazor.js"),
            await anonymous.Http.GetAsync("/healthz"),
            await anonymous.Http.GetAsync("/runs"),
            await olivia.Http.GetAsync("/runs"),
            await olivia.Http.GetAsync($"/runs/{Guid.NewGuid()}/transcript.txt"),
            await anonymous.Http.GetAsync("/no/such/file.js"),
        };

        foreach (var response in responses)
        {
            var what = $"{response.RequestMessage!.RequestUri!.AbsolutePath} ({(int)response.StatusCode})";
            var csp = Header(response, "Content-Security-Policy");
            Assert.True(csp is not null, $"no CSP on {what}");
            Assert.Contains("default-src 'self'", csp);
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains($"connect-src 'self' ws://{console.BaseAddress.Authority} wss://{console.BaseAddress.Authority};", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        }
    }

    [Fact]
    public async Task Behind_the_tls_proxy_the_session_and_antiforgery_cookies_are_secure_and_without_it_they_work_over_http()
    {
        await using var console = await TestConsole.StartAsync();

        // What deploy/nginx-recoveryconsole.conf sends from 127.0.0.1: X-Forwarded-Proto https. Cookies are handled by hand:
        // a cookie jar would not send Secure cookies back over this test's plain HTTP, a browser on HTTPS does.
        using var proxied = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = console.BaseAddress };
        proxied.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        proxied.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var login = await proxied.GetAsync("/login");
        var antiforgery = login.Headers.GetValues("Set-Cookie").ToList();
        Assert.All(antiforgery, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        var signedIn = await PostLoginAsync(proxied, await login.Content.ReadAsStringAsync(), string.Join("; ", antiforgery.Select(c => c.Split(';')[0])));
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("RecoveryConsole=", StringComparison.Ordinal));
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        // The client's address as the proxy saw it reaches the audit.
        var audit = await console.Get<Orchestration.Audit.IAuditLog>().ListAsync(null, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == Orchestration.Audit.AuditKinds.Login && e.Detail.EndsWith("from 203.0.113.7", StringComparison.Ordinal));

        using var direct = new ConsoleClient(console.BaseAddress);
        var plain = await direct.Http.GetAsync("/login");
        Assert.All(plain.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string page, string cookies)
    {
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["userName"] = DemoUsers.Olivia.Name, ["password"] = DemoUsers.Olivia.Password, ["returnUrl"] = "/",
            }),
        };
        request.Headers.Add("Cookie", cookies);
        var response = await client.SendAsync(request);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return response;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}
