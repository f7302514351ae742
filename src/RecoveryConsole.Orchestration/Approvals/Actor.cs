namespace RecoveryConsole.Orchestration.Approvals;

public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Approver = "approver";
    public const string Admin = "admin";
    public static readonly string[] All = [Viewer, Operator, Approver, Admin];
}

/// <summary>
/// The person behind a command, as the web layer authenticated them. <see cref="Roles"/> are the global roles; a
/// per-cluster assignment replaces them on that cluster (an empty one: no access), so a team can be operator on the
/// lab and viewer on production. Commands about a cluster check <see cref="On"/>, never the global roles alone.
/// </summary>
public sealed record Actor(string UserName, IReadOnlyCollection<string> Roles)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyCollection<string>> NoAssignments =
        new Dictionary<string, IReadOnlyCollection<string>>();

    public static Actor System { get; } = new("system", []);

    /// <summary>A lab practice account (its password is on the login page): it acts and looks only at simulated clusters.</summary>
    public bool IsDemo { get; init; }

    /// <summary>Roles per cluster name that replace <see cref="Roles"/> on that cluster.</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> ClusterRoles { get; init; } = NoAssignments;

    /// <summary>How the command came in when not from a signed-in page (an API token, named, never its secret): audited with it.</summary>
    public string? Via { get; init; }

    /// <summary>An audit detail that also says how the command came in, when that was not a signed-in page.</summary>
    public string Audited(string detail) => Via is null ? detail : $"{detail} (via {Via})";

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);

    /// <summary>The roles this actor has on one cluster.</summary>
    public IReadOnlyCollection<string> RolesOn(string cluster, bool isSimulated)
    {
        if (IsDemo && !isSimulated) return [];
        return ClusterRoles.TryGetValue(cluster, out var assigned) ? assigned : Roles;
    }

    /// <summary>The same person with the roles effective on <paramref name="cluster"/>.</summary>
    public Actor On(string cluster, bool isSimulated) => this with { Roles = RolesOn(cluster, isSimulated) };

    /// <summary>Any role on the cluster lets one see its runs and export them; none hides them.</summary>
    public bool MaySee(string cluster, bool isSimulated) => RolesOn(cluster, isSimulated).Count > 0;
}

/// <summary>The actor lacks the role for a command.</summary>
public sealed class NotAllowedException(string message) : Exception(message);
