using System.Net;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Web.Api.Tokens;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>Personal API tokens: only a known, unrevoked, unexpired token of a usable account opens the API, with at most its roles.</summary>
[Trait("Category", "Security")]
public sealed class ApiTokenTests
{
    private const string Procedures = "/api/v1/procedures";

    [Fact]
    public async Task No_token_an_unknown_a_revoked_and_an_expired_token_get_401_and_each_refusal_is_audited_without_the_secret()
    {
        await using var console = await TestConsole.StartAsync();
        using var anonymous = new ApiClient(console.BaseAddress, null);
        var none = await ApiClient.ExpectAsync(await anonymous.GetAsync(Procedures), HttpStatusCode.Unauthorized);
        Assert.Contains("Send a personal API token", none);

        var guessed = ApiTokenSecret.Prefix + new string('A', 43);
        using var unknown = new ApiClient(console.BaseAddress, guessed);
        Assert.Contains("not known", await ApiClient.ExpectAsync(await unknown.GetAsync(Procedures), HttpStatusCode.Unauthorized));
        using var malformed = new ApiClient(console.BaseAddress, "not-a-token");
        Assert.Contains("not known", await ApiClient.ExpectAsync(await malformed.GetAsync(Procedures), HttpStatusCode.Unauthorized));

        var revokedToken = await ApiClient.CreateTokenAsync(console, DemoUsers.Olivia.Name, [], null, "to revoke");
        using var revoked = new ApiClient(console.BaseAddress, revokedToken.Secret);
        await ApiClient.ExpectAsync(await revoked.GetAsync(Procedures), HttpStatusCode.OK);
        await using (var scope = console.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ApiTokens>().RevokeAsync(revokedToken.Token.Id,
                await ApiClient.ActorAsync(scope.ServiceProvider, DemoUsers.Olivia.Name), CancellationToken.None);
        Assert.Equal("The API token was revoked.", await ApiClient.ExpectAsync(await revoked.GetAsync(Procedures), HttpStatusCode.Unauthorized));

        var expiringToken = await ApiClient.CreateTokenAsync(console, DemoUsers.Olivia.Name, [], DateTimeOffset.UtcNow.AddSeconds(2), "short-lived");
        using var expiring = new ApiClient(console.BaseAddress, expiringToken.Secret);
        await ApiClient.ExpectAsync(await expiring.GetAsync(Procedures), HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal("The API token has expired.", await ApiClient.ExpectAsync(await expiring.GetAsync(Procedures), HttpStatusCode.Unauthorized));

        var audit = await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
        var refusals = audit.Where(e => e.Kind == AuditKinds.ApiTokenRefused).ToList();
        Assert.Equal(2, refusals.Count(e => e.Actor == "anonymous" && e.Detail.StartsWith("unknown token from ", StringComparison.Ordinal)));
        Assert.Single(refusals, e => e.Actor == "olivia" && e.Detail.Contains($"token 'to revoke' ({revokedToken.Token.Id}): revoked by olivia", StringComparison.Ordinal));
        Assert.Single(refusals, e => e.Actor == "olivia" && e.Detail.Contains("token 'short-lived'", StringComparison.Ordinal) && e.Detail.Contains("expired at", StringComparison.Ordinal));
        Assert.Equal(2, audit.Count(e => e.Kind == AuditKinds.ApiTokenCreated && e.Actor == "olivia"));
        Assert.Single(audit, e => e.Kind == AuditKinds.ApiTokenRevoked && e.Detail.Contains("'to revoke'", StringComparison.Ordinal));
        foreach (var secret in new[] { guessed, revokedToken.Secret, expiringToken.Secret })
            Assert.DoesNotContain(audit, e => e.Detail.Contains(secret[3..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_database_holds_only_the_secret_s_hash_and_the_list_never_the_secret()
    {
        await using var console = await TestConsole.StartAsync();
        var created = await ApiClient.CreateTokenAsync(console, DemoUsers.Olivia.Name, [Roles.Operator], null, "nightly game day");
        Assert.Matches("^rc_[A-Za-z0-9_-]{43}$", created.Secret);
        using var olivia = new ApiClient(console.BaseAddress, created.Secret);
        await ApiClient.ExpectAsync(await olivia.GetAsync(Procedures), HttpStatusCode.OK);

        await using (var scope = console.Services.CreateAsyncScope())
        {
            var listed = Assert.Single(await scope.ServiceProvider.GetRequiredService<ApiTokens>().ListAsync("olivia", CancellationToken.None));
            Assert.Equal(["operator"], listed.Scopes);
            Assert.DoesNotContain(created.Secret[3..], listed.ToString());
        }

        // The SQLite file as it is on disk (WAL included): the hash is there, the secret nowhere.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(console.DataDirectory, "*.db*", SearchOption.AllDirectories);
        var stored = string.Concat(files.Select(f => Encoding.Latin1.GetString(ReadShared(f))));
        Assert.Contains(ApiTokenSecret.Hash(created.Secret), stored);
        Assert.DoesNotContain(created.Secret[3..], stored);
        Assert.DoesNotContain(created.Secret[3..23], stored);
    }

    [Fact]
    public async Task A_signed_in_browser_session_cannot_call_the_api_only_a_token_can()
    {
        await using var console = await TestConsole.StartAsync();
        using var browser = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);

        var read = await browser.Http.GetAsync("/api/v1/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        var start = await browser.Http.PostAsync("/api/v1/runs", System.Net.Http.Json.JsonContent.Create(new
        {
            procedureId = DemoUsers.SampleProcedure, cluster = DemoUsers.LabCluster, parameters = DemoUsers.SampleParameters,
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, start.StatusCode);
        Assert.Empty(await console.Get<Orchestration.Runs.IRunRepository>().ListAsync(new(), CancellationToken.None));
    }

    [Fact]
    public async Task A_token_never_has_more_than_its_account_now_and_a_locked_account_s_tokens_stop()
    {
        await using var console = await TestConsole.StartAsync();
        var start = new { procedureId = DemoUsers.SampleProcedure, cluster = DemoUsers.LabCluster, parameters = DemoUsers.SampleParameters };

        // Asked for a role the account lacks: refused in words, no token made.
        var tooMuch = await Assert.ThrowsAsync<NotAllowedException>(() => ApiClient.CreateTokenAsync(console, DemoUsers.Olivia.Name, [Roles.Approver], null));
        Assert.Equal("A token cannot have a role its account lacks: olivia does not hold approver.", tooMuch.Message);

        // sam is operator and approver; his read-only token (any role includes watching) reads runs but cannot start one,
        // nor can his approver-only token.
        using var samViewer = await ApiClient.ForAsync(console, DemoUsers.Sam.Name, Roles.Viewer);
        await ApiClient.ExpectAsync(await samViewer.GetAsync("/api/v1/runs"), HttpStatusCode.OK);
        var samClusters = await samViewer.GetJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/v1/clusters");
        Assert.Equal(["viewer"], samClusters.First(c => (string?)c!["name"] == DemoUsers.LabCluster)!["yourRoles"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("sam may not start a run on lab-ocp4: the operator role is needed.",
            await ApiClient.ExpectAsync(await samViewer.PostAsync("/api/v1/runs", start), HttpStatusCode.Forbidden));
        using var samApprover = await ApiClient.ForAsync(console, DemoUsers.Sam.Name, Roles.Approver);
        Assert.Equal("sam may not start a run on lab-ocp4: the operator role is needed.",
            await ApiClient.ExpectAsync(await samApprover.PostAsync("/api/v1/runs", start), HttpStatusCode.Forbidden));

        // A token with operator stops being one when the account loses the role.
        using var sam = await ApiClient.ForAsync(console, DemoUsers.Sam.Name, Roles.Operator, Roles.Approver);
        await using (var scope = console.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByNameAsync("sam"))!, Roles.Operator)).Succeeded);
        }
        Assert.Equal("sam may not start a run on lab-ocp4: the operator role is needed.",
            await ApiClient.ExpectAsync(await sam.PostAsync("/api/v1/runs", start), HttpStatusCode.Forbidden));

        // A disabled (locked) account: its token is refused at the door, and audited.
        using var vera = await ApiClient.ForAsync(console, DemoUsers.Vera.Name);
        await ApiClient.ExpectAsync(await vera.GetAsync(Procedures), HttpStatusCode.OK);
        await using (var scope = console.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = (await users.FindByNameAsync("vera"))!;
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        }
        Assert.Equal("The API token's account is disabled or locked.", await ApiClient.ExpectAsync(await vera.GetAsync(Procedures), HttpStatusCode.Unauthorized));
        var audit = await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApiTokenRefused && e.Actor == "vera" && e.Detail.Contains("disabled or locked", StringComparison.Ordinal));
        Assert.Empty(await console.Get<Orchestration.Runs.IRunRepository>().ListAsync(new(), CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_revokes_a_token_and_another_account_cannot_tell_it_exists()
    {
        await using var console = await TestConsole.StartAsync();
        var token = await ApiClient.CreateTokenAsync(console, DemoUsers.Olivia.Name, [], null);
        await using var scope = console.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokens>();

        var arjun = await ApiClient.ActorAsync(scope.ServiceProvider, DemoUsers.Arjun.Name);
        var refused = await Assert.ThrowsAsync<KeyNotFoundException>(() => tokens.RevokeAsync(token.Token.Id, arjun, CancellationToken.None));
        Assert.Equal($"No token {token.Token.Id}.", refused.Message);
        Assert.Empty(await tokens.ListAsync("arjun", CancellationToken.None));

        await tokens.RevokeAsync(token.Token.Id, await ApiClient.ActorAsync(scope.ServiceProvider, "admin"), CancellationToken.None);
        var listed = Assert.Single(await tokens.ListAsync(null, CancellationToken.None));
        Assert.Equal("admin", listed.RevokedBy);
        using var olivia = new ApiClient(console.BaseAddress, token.Secret);
        await ApiClient.ExpectAsync(await olivia.GetAsync(Procedures), HttpStatusCode.Unauthorized);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task What_a_token_does_is_audited_under_its_account_naming_the_token_and_never_its_secret()
    {
        await using var console = await TestConsole.StartAsync();
        var created = await ApiClient.CreateTokenAsync(console, DemoUsers.Olivia.Name, [], null, name: "game day runner");
        using var olivia = new ApiClient(console.BaseAddress, created.Secret);

        Assert.Equal(HttpStatusCode.OK, (await olivia.PostAsync($"/api/v1/lab/{DemoUsers.LabCluster}/reset")).StatusCode);
        var runId = await ApiRuns.StartAsync(olivia, DemoUsers.SampleProcedure, DemoUsers.LabCluster, new Dictionary<string, string?>(DemoUsers.SampleParameters));

        var audit = await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
        var via = $"(via API token 'game day runner' {created.Token.Id.ToString()[..8]})";
        var created_ = Assert.Single(audit, e => e.Kind == AuditKinds.RunCreated && e.RunId == runId);
        Assert.Equal("olivia", created_.Actor);
        Assert.True(created_.Detail.EndsWith(via, StringComparison.Ordinal), created_.Detail);
        var staged = Assert.Single(audit, e => e.Kind == AuditKinds.LabScenario);
        Assert.True(staged.Actor == "olivia" && staged.Detail.EndsWith(via, StringComparison.Ordinal), $"{staged.Actor}: {staged.Detail}");
        Assert.DoesNotContain(audit, e => e.Detail.Contains(created.Secret[3..], StringComparison.Ordinal));
    }
}
