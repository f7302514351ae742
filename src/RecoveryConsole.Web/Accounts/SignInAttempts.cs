using Microsoft.AspNetCore.Identity;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Web.Accounts;

/// <summary>
/// One password sign-in, audited whatever the outcome: signed in, failed, or refused because the account is locked
/// (after repeated failures, or disabled). The password is never written anywhere; an unknown user name is not
/// recorded either, since it is often a password typed into the wrong field.
/// </summary>
public sealed class SignInAttempts(SignInManager<IdentityUser> signIn, UserManager<IdentityUser> users, IAuditLog audit)
{
    public const string Anonymous = "anonymous";

    // Verified against for unknown names too, so that an unknown name costs as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<IdentityUser>().HashPassword(new IdentityUser("decoy"), Guid.NewGuid().ToString()));

    public async Task<bool> SignInAsync(string userName, string password, string? from, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new IdentityUser(Anonymous), DecoyHash.Value, password);
            await AuditAsync(Anonymous, AuditKinds.AccountSignInFailed, $"unknown user name (not recorded){From(from)}", cancellationToken);
            return false;
        }
        var name = user.UserName ?? userName;
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await AuditAsync(name, AuditKinds.Login, $"signed in{From(from)}", cancellationToken);
            return true;
        }
        if (result.IsLockedOut)
            await AuditAsync(name, AuditKinds.AccountLockedOut,
                $"sign-in refused: the account is {(user.LockoutEnd > DateTimeOffset.UtcNow.AddYears(100) ? "disabled" : $"locked until {user.LockoutEnd:u}")}{From(from)}",
                cancellationToken);
        else
            await AuditAsync(name, AuditKinds.AccountSignInFailed, $"wrong password ({await users.GetAccessFailedCountAsync(user)} failed in a row){From(from)}", cancellationToken);
        return false;
    }

    private static string From(string? address) => address is null ? "" : $" from {address}";

    private Task AuditAsync(string actor, string kind, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, actor, kind, null, detail), cancellationToken);
}
