using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Web.Accounts;

/// <summary>
/// Roles always; the first admin on first start (password from RECOVERYCONSOLE_ADMIN_PASSWORD or random, logged once);
/// the demo accounts only while the lab is on (and disabled when it is off: <see cref="DemoAccountLifecycle"/>).
/// </summary>
internal sealed class AccountSeeder(UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, DemoAccounts demo,
    DemoAccountLifecycle demoLifecycle, IAuditLog audit, ILogger<AccountSeeder> logger)
{
    public const string AdminUserName = "admin";
    public const string AdminPasswordVariable = "RECOVERYCONSOLE_ADMIN_PASSWORD";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");

        if (await users.FindByNameAsync(AdminUserName) is null)
        {
            var given = Environment.GetEnvironmentVariable(AdminPasswordVariable);
            var password = string.IsNullOrWhiteSpace(given) ? RandomPassword() : given;
            await CreateAsync(AdminUserName, password, [Roles.Admin], cancellationToken);
            if (string.IsNullOrWhiteSpace(given))
                logger.LogWarning("Created the first account: user '{User}' with password '{Password}'. It is shown only this once: store it now.",
                    AdminUserName, password);
            else
                logger.LogWarning("Created the first account '{User}' with the password from {Variable}.", AdminUserName, AdminPasswordVariable);
        }

        foreach (var account in demo.Accounts)
            if (await users.FindByNameAsync(account.UserName) is null)
                await CreateAsync(account.UserName, account.Password, account.Roles, cancellationToken);
        await demoLifecycle.ApplyAsync(cancellationToken);
    }

    private async Task CreateAsync(string userName, string password, IEnumerable<string> userRoles, CancellationToken cancellationToken)
    {
        var user = new IdentityUser(userName);
        Check(await users.CreateAsync(user, password), $"user {userName}");
        Check(await users.AddToRolesAsync(user, userRoles), $"roles of {userName}");
        await audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, Actor.System.UserName, AuditKinds.UserCreated, null,
            $"{userName} ({string.Join(", ", userRoles)})"), cancellationToken);
    }

    private static string RandomPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
