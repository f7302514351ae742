using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Approvals;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>
/// Accounts as an admin creates them (not lab demo accounts): what registering and changing real clusters needs,
/// since a demo account never acts on one.
/// </summary>
public static class RealUsers
{
    public static readonly (string Name, string Password) Owen = ("owen", "owen-real-operator");

    public static async Task<(string Name, string Password)> CreateOperatorAsync(TestConsole console)
    {
        await using var scope = console.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(Owen.Name);
        var created = await users.CreateAsync(user, Owen.Password);
        if (created.Succeeded) created = await users.AddToRoleAsync(user, Roles.Operator);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        return Owen;
    }
}
