using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Web.Accounts;

public sealed record ClusterRoleAssignment(string Cluster, IReadOnlyCollection<string> Roles);

/// <summary>
/// Roles of one account on one cluster, replacing its global roles there (none: the cluster's runs are hidden from
/// it). Kept as user claims (<see cref="AccountClaims.ClusterRoles"/>); a change renews the security stamp, so open
/// hub connections and pages of that account must sign in again and get the new roles.
/// </summary>
public sealed partial class ClusterRoleAssignments(UserManager<IdentityUser> users, IAuditLog audit)
{
    public async Task<IReadOnlyList<ClusterRoleAssignment>> ListAsync(string userName)
    {
        if (await users.FindByNameAsync(userName) is not { } user) return [];
        return (await users.GetClaimsAsync(user)).Where(c => c.Type == AccountClaims.ClusterRoles)
            .Select(c => AccountClaims.ParseClusterRoles(c.Value)).OfType<(string Cluster, IReadOnlyCollection<string> Roles)>()
            .Select(a => new ClusterRoleAssignment(a.Cluster, a.Roles)).OrderBy(a => a.Cluster, StringComparer.Ordinal).ToList();
    }

    /// <summary>Sets (or replaces) the roles of <paramref name="userName"/> on <paramref name="cluster"/>; an empty set means no access.</summary>
    public async Task SetAsync(string userName, string cluster, IReadOnlyCollection<string> roles, Actor admin, CancellationToken cancellationToken)
    {
        RequireAdmin(admin);
        cluster = cluster.Trim();
        if (!ClusterName().IsMatch(cluster))
            throw new ArgumentException($"'{cluster}' is not a cluster name (lowercase letters, digits and '-').");
        var unknown = roles.Where(r => !Roles.All.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown role {string.Join(", ", unknown)}: the roles are {string.Join(", ", Roles.All)}.");
        var user = await FindAsync(userName);
        await RemoveClaimsAsync(user, cluster);
        var ordered = Roles.All.Where(roles.Contains).ToList();
        Check(await users.AddClaimAsync(user, new Claim(AccountClaims.ClusterRoles, AccountClaims.FormatClusterRoles(cluster, ordered))));
        Check(await users.UpdateSecurityStampAsync(user));
        await AuditAsync(admin, $"{user.UserName} on {cluster}: {(ordered.Count == 0 ? "no access" : string.Join(", ", ordered))}", cancellationToken);
    }

    /// <summary>Removes the assignment: the global roles apply on that cluster again.</summary>
    public async Task RemoveAsync(string userName, string cluster, Actor admin, CancellationToken cancellationToken)
    {
        RequireAdmin(admin);
        var user = await FindAsync(userName);
        if (!await RemoveClaimsAsync(user, cluster.Trim())) return;
        Check(await users.UpdateSecurityStampAsync(user));
        await AuditAsync(admin, $"{user.UserName} on {cluster.Trim()}: assignment removed, global roles apply", cancellationToken);
    }

    private async Task<bool> RemoveClaimsAsync(IdentityUser user, string cluster)
    {
        var existing = (await users.GetClaimsAsync(user))
            .Where(c => c.Type == AccountClaims.ClusterRoles && AccountClaims.ParseClusterRoles(c.Value)?.Cluster == cluster).ToList();
        if (existing.Count > 0) Check(await users.RemoveClaimsAsync(user, existing));
        return existing.Count > 0;
    }

    private async Task<IdentityUser> FindAsync(string userName) =>
        await users.FindByNameAsync(userName.Trim()) ?? throw new ArgumentException($"There is no user '{userName.Trim()}'.");

    private static void RequireAdmin(Actor admin)
    {
        if (!admin.IsInRole(Roles.Admin) || admin.IsDemo)
            throw new NotAllowedException($"{admin.UserName} may not change roles: the admin role is needed.");
    }

    private Task AuditAsync(Actor admin, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, admin.UserName, AuditKinds.AccountClusterRolesChanged, null, detail), cancellationToken);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex ClusterName();
}
