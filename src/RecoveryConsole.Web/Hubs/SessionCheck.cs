using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace RecoveryConsole.Web.Hubs;

/// <summary>
/// A hub connection outlives the request that opened it: every call checks again that its sign-in is still valid
/// (the account's security stamp is unchanged: no sign-out, no role change, not disabled). Otherwise the call is
/// refused.
/// </summary>
public sealed class SessionCheck(UserManager<IdentityUser> users, IOptions<IdentityOptions> identity) : IHubFilter
{
    public const string Ended = "Your session has ended (signed out, or the account changed): sign in again.";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        // Refused in words rather than cut: the client learns why, and its next connection fails at negotiation.
        if (!await IsCurrentAsync(invocationContext.Context.User))
            throw new HubException(Ended);
        return await next(invocationContext);
    }

    private async Task<bool> IsCurrentAsync(System.Security.Claims.ClaimsPrincipal? principal)
    {
        if (principal is null || await users.GetUserAsync(principal) is not { } user) return false;
        var stamp = principal.FindFirst(identity.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        return stamp is not null && stamp == await users.GetSecurityStampAsync(user);
    }
}
