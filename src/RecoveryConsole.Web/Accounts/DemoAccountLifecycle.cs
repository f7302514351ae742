using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Web.Accounts;

/// <summary>
/// Demo accounts live only while the lab is on. Their passwords are printed on the login page, so turning the lab off
/// must disable them, not merely stop listing them: each is locked out for good and its security stamp changed, which
/// also ends every session it still has. Turning the lab on again re-enables them.
/// </summary>
internal sealed class DemoAccountLifecycle(UserManager<IdentityUser> users, DemoAccounts demo, IAuditLog audit, ILogger<DemoAccountLifecycle> logger)
{
    private static readonly Claim Mark = new(AccountClaims.Demo, "true");

    public Task ApplyAsync(CancellationToken cancellationToken) =>
        demo.Enabled ? EnableAsync(cancellationToken) : DisableAsync(cancellationToken);

    private async Task EnableAsync(CancellationToken cancellationToken)
    {
        foreach (var account in demo.Accounts)
        {
            if (await users.FindByNameAsync(account.UserName) is not { } user) continue;
            if (!(await users.GetClaimsAsync(user)).Any(c => c.Type == Mark.Type))
                Check(await users.AddClaimAsync(user, Mark));
            if (IsDisabled(user))
            {
                Check(await users.SetLockoutEndDateAsync(user, null));
                await AuditAsync(account.UserName, AuditKinds.AccountEnabled, "demo account enabled: the lab is on", cancellationToken);
            }
        }
    }

    private async Task DisableAsync(CancellationToken cancellationToken)
    {
        var candidates = (await users.GetUsersForClaimAsync(Mark)).ToDictionary(u => u.Id);
        // Also an account from before demo accounts were marked, recognised by its published password.
        foreach (var account in DemoAccounts.Published)
            if (await users.FindByNameAsync(account.UserName) is { } user && !candidates.ContainsKey(user.Id)
                && !IsDisabled(user) && await users.CheckPasswordAsync(user, account.Password))
                candidates[user.Id] = user;

        foreach (var user in candidates.Values.Where(u => !IsDisabled(u)))
        {
            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
            Check(await users.UpdateSecurityStampAsync(user));
            await AuditAsync(user.UserName ?? user.Id, AuditKinds.AccountDisabled, "demo account disabled: the lab is off", cancellationToken);
            logger.LogInformation("Disabled the demo account {User}: the lab is off.", user.UserName);
        }
    }

    /// <summary>Locked "for good" (ordinary lockouts after failed sign-ins last minutes).</summary>
    private static bool IsDisabled(IdentityUser user) => user.LockoutEnd is { } end && end > DateTimeOffset.UtcNow.AddYears(100);

    private Task AuditAsync(string userName, string kind, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, Actor.System.UserName, kind, null, $"{userName}: {detail}"), cancellationToken);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not update a demo account: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
