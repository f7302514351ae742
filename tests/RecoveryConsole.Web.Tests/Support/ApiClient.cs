using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Api.Tokens;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>A script's view of the console: plain HTTP with a personal API token as bearer, nothing else.</summary>
public sealed class ApiClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public ApiClient(Uri baseAddress, string? token)
    {
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        Token = token;
        if (token is not null) Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public HttpClient Http { get; }
    public string? Token { get; }

    /// <summary>A token made as the tokens page makes it: by the account itself, with the given roles (default: all it holds).</summary>
    public static async Task<ApiClient> ForAsync(TestConsole console, string userName, params string[] scopes)
    {
        var created = await CreateTokenAsync(console, userName, scopes, null);
        return new ApiClient(console.BaseAddress, created.Secret);
    }

    public static async Task<CreatedApiToken> CreateTokenAsync(TestConsole console, string userName, string[] scopes, DateTimeOffset? expiresAt,
        string name = "test token")
    {
        await using var scope = console.Services.CreateAsyncScope();
        var actor = await ActorAsync(scope.ServiceProvider, userName);
        var roles = scopes.Length > 0 ? scopes : actor.Roles.ToArray();
        return await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(actor, name, roles, expiresAt, CancellationToken.None);
    }

    /// <summary>The account as its sign-in cookie would present it.</summary>
    public static async Task<Orchestration.Approvals.Actor> ActorAsync(IServiceProvider services, string userName)
    {
        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No account {userName}.");
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<IdentityUser>>().CreateAsync(user);
        return principal.ToActor();
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null) =>
        Http.PostAsync(path, body is null ? new StringContent("", System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body, options: Json));

    public async Task<T> GetJsonAsync<T>(string path)
    {
        using var response = await Http.GetAsync(path);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>Asserts the status; for a problem, returns its detail (the words the caller reads).</summary>
    public static async Task<string> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            return JsonNode.Parse(body)?["detail"]?.GetValue<string>() ?? "";
        return body;
    }

    /// <summary>Step paths go into URLs encoded, "/" as %2F.</summary>
    public static string Step(string stepPath) => Uri.EscapeDataString(stepPath);

    public void Dispose() => Http.Dispose();
}
