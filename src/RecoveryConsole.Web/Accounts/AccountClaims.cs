using RecoveryConsole.Orchestration.Approvals;

namespace RecoveryConsole.Web.Accounts;

/// <summary>
/// Facts about an account kept as Identity user claims (AspNetUserClaims), so they ride in the sign-in cookie and are
/// refreshed with it whenever the security stamp is checked; no table of our own is needed.
/// </summary>
public static class AccountClaims
{
    /// <summary>A lab practice account; see <see cref="Actor.IsDemo"/>.</summary>
    public const string Demo = "recoveryconsole:demo";

    /// <summary>One per cluster with its own roles: "cluster=role,role" (nothing after '=': no access to that cluster).</summary>
    public const string ClusterRoles = "recoveryconsole:cluster-roles";

    public static string FormatClusterRoles(string cluster, IEnumerable<string> roles) => $"{cluster}={string.Join(',', roles)}";

    /// <summary>Null when the value is not of the form "cluster=roles" (a hand-edited row): ignored rather than trusted.</summary>
    public static (string Cluster, IReadOnlyCollection<string> Roles)? ParseClusterRoles(string value)
    {
        var split = value.LastIndexOf('=');
        if (split <= 0) return null;
        var roles = value[(split + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(r => Roles.All.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        return (value[..split], roles);
    }
}
