using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RecoveryConsole.Web.Accounts;

namespace RecoveryConsole.Web.Api.Tokens;

/// <summary>
/// <c>Authorization: Bearer rc_...</c>: the same principal the sign-in cookie carries (Identity's claims factory: roles,
/// per-cluster roles, the demo claim), with every role cut to the token's scopes. The account is read on every call, so
/// a role taken away, a disabled or locked account or a revoked token stops the token at once.
/// </summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, IUserClaimsPrincipalFactory<IdentityUser> principals) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    private const string Bearer = "Bearer ";
    private string? _refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header[Bearer.Length..].Trim();
        var (token, user, refusal) = await tokens.AuthenticateAsync(secret, Context.Connection.RemoteIpAddress?.ToString(), Context.RequestAborted);
        if (token is null || user is null)
        {
            _refusal = refusal;
            return AuthenticateResult.Fail(refusal ?? "The API token was refused.");
        }
        var account = await principals.CreateAsync(user);
        var scopes = ApiTokenScopes.Parse(token.Scopes);
        var identity = new ClaimsIdentity(Restricted(account.Claims, scopes), SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(TokenIdClaim, token.Id.ToString()));
        identity.AddClaim(new Claim(TokenNameClaim, token.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Which token made the call (for the audit of what it did, never its secret).</summary>
    public const string TokenIdClaim = "recoveryconsole:api-token";
    public const string TokenNameClaim = "recoveryconsole:api-token-name";

    /// <summary>How the audit names a token: its name and the start of its id (enough to find it on the tokens page).</summary>
    public static string Describe(string id, string name) => $"API token '{name}' {id[..Math.Min(8, id.Length)]}";

    /// <summary>The account's claims with global and per-cluster roles cut to the scopes: a token never grants more than its account holds.</summary>
    public static IEnumerable<Claim> Restricted(IEnumerable<Claim> claims, IReadOnlyList<string> scopes)
    {
        var all = claims.ToList();
        var roles = all.Where(c => c.Type == ClaimTypes.Role).Select(c => c.Value).ToList();
        foreach (var role in ApiTokenScopes.Restrict(roles, scopes)) yield return new Claim(ClaimTypes.Role, role);
        foreach (var claim in all)
        {
            if (claim.Type == ClaimTypes.Role) continue;
            if (claim.Type == AccountClaims.ClusterRoles)
            {
                if (AccountClaims.ParseClusterRoles(claim.Value) is { } assignment)
                    yield return new Claim(AccountClaims.ClusterRoles,
                        AccountClaims.FormatClusterRoles(assignment.Cluster, ApiTokenScopes.Restrict(assignment.Roles, scopes)));
            }
            else yield return new Claim(claim.Type, claim.Value);
        }
    }

    /// <summary>401 as problem+json saying why (no token, unknown, revoked, expired, account disabled); the scheme is named for clients.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: 401, title: "Unauthorized",
            detail: _refusal ?? "Send a personal API token: Authorization: Bearer rc_... (make one on /account/tokens).").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "The API token's roles do not allow this.").ExecuteAsync(Context);
}
