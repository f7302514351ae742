using RecoveryConsole.Orchestration.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace RecoveryConsole.Web.Accounts;

/// <summary>Sign-in and sign-out as plain form posts (antiforgery checked), so the login works without a circuit.</summary>
public static class AccountEndpoints
{
    /// <summary>The same words for an unknown name, a wrong password and a locked account: the page reveals no account.</summary>
    public const string SignInRefused = "Sign-in refused: wrong user name or password, or too many failed attempts (then wait a few minutes).";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/login", LoginAsync).AllowAnonymous();
        endpoints.MapPost("/account/logout", LogoutAsync).RequireAuthorization();
    }

    private static async Task<IResult> LoginAsync([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext http, SignInAttempts attempts, CancellationToken cancellationToken)
    {
        var target = ReturnUrls.Local(returnUrl);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
            return Back("Enter your user name and password.", target, userName);
        var signedIn = await attempts.SignInAsync(userName.Trim(), password, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return signedIn ? Results.LocalRedirect(target) : Back(SignInRefused, target, userName);
    }

    /// <summary>
    /// A new security stamp makes every cookie issued before it worthless (it is checked on each request, the hub and
    /// the circuit), so a copied cookie dies with the sign-out instead of living its twelve hours.
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext http, SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users,
        Orchestration.Audit.IAuditLog audit, CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(http.User) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
            await audit.AppendAsync(new Orchestration.Audit.AuditEvent(DateTimeOffset.UtcNow, user.UserName ?? user.Id, AuditKinds.AccountSignedOut, null, "signed out"),
                cancellationToken);
        }
        await signIn.SignOutAsync();
        return Results.LocalRedirect("/login");
    }

    private static IResult Back(string error, string returnUrl, string? userName)
    {
        var shown = userName is { Length: > 256 } ? userName[..256] : userName ?? "";
        return Results.LocalRedirect($"/login?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(returnUrl)}&user={Uri.EscapeDataString(shown)}");
    }
}
