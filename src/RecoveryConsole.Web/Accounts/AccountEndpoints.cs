using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Web.Accounts;

/// <summary>Sign-in and sign-out as plain form posts (antiforgery checked), so the login works without a circuit.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/login", LoginAsync).AllowAnonymous();
        endpoints.MapPost("/account/logout", async (SignInManager<IdentityUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        }).RequireAuthorization();
    }

    private static async Task<IResult> LoginAsync([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<IdentityUser> signIn, IAuditLog audit, CancellationToken cancellationToken)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
            return Back("Enter your user name and password.", target, userName);
        var result = await signIn.PasswordSignInAsync(userName.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut) return Back("Too many failed attempts: this account is locked for two minutes.", target, userName);
        if (!result.Succeeded) return Back("Unknown user name or wrong password.", target, userName);
        await audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, userName.Trim(), AuditKinds.Login, null, "signed in"), cancellationToken);
        return Results.LocalRedirect(target);
    }

    private static IResult Back(string error, string returnUrl, string? userName) =>
        Results.LocalRedirect($"/login?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(returnUrl)}&user={Uri.EscapeDataString(userName ?? "")}");

    /// <summary>Only paths of this site: an open redirect would hand the session to somebody else's page.</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
