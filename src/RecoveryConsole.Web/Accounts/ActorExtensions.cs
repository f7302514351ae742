using System.Security.Claims;
using RecoveryConsole.Orchestration.Approvals;

namespace RecoveryConsole.Web.Accounts;

public static class ActorExtensions
{
    /// <summary>The actor behind a request, from the authenticated cookie only (never from anything the client sends).</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var name = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n
            : throw new NotAllowedException("Sign in first.");
        var perCluster = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (var claim in user.FindAll(AccountClaims.ClusterRoles))
            if (AccountClaims.ParseClusterRoles(claim.Value) is { } assignment)
                perCluster[assignment.Cluster] = assignment.Roles;
        return new Actor(name, user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList())
        {
            IsDemo = user.HasClaim(c => c.Type == AccountClaims.Demo),
            ClusterRoles = perCluster,
            Via = user.FindFirst(Api.Tokens.ApiTokenAuthentication.TokenIdClaim)?.Value is { } token
                ? Api.Tokens.ApiTokenAuthentication.Describe(token, user.FindFirst(Api.Tokens.ApiTokenAuthentication.TokenNameClaim)?.Value ?? "")
                : null,
        };
    }

    public static bool CanOperate(this ClaimsPrincipal user) => user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Admin);
    public static bool CanApprove(this ClaimsPrincipal user) => user.IsInRole(Roles.Approver);
    public static bool CanAudit(this ClaimsPrincipal user) => user.IsInRole(Roles.Approver) || user.IsInRole(Roles.Admin);
}
