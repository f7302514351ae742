namespace RecoveryConsole.Orchestration.Approvals;

/// <summary>
/// Who may act on a run, in one place: RunService enforces these rules (and audits refusals) and the attention board
/// uses the same ones to tell people what waits for them, so the two can never disagree.
/// </summary>
public static class RunPermissions
{
    /// <summary>Why <paramref name="actor"/> may not <paramref name="what"/> on the cluster with <paramref name="role"/> (or admin); null: allowed. A lab demo account never acts on a real cluster.</summary>
    public static string? Refusal(Actor actor, string role, string what, string cluster, bool isSimulated)
    {
        if (actor.IsDemo && !isSimulated)
            return $"{actor.UserName} is a lab demo account and may not {what} on {cluster}, a real cluster.";
        var onCluster = actor.On(cluster, isSimulated);
        return onCluster.IsInRole(role) || onCluster.IsInRole(Roles.Admin)
            ? null
            : $"{actor.UserName} may not {what} on {cluster}: the {role} role is needed.";
    }

    /// <summary>The first refusal over every cluster a run acts on (a multi-cluster run needs the role on each); null: allowed.</summary>
    public static string? Refusal(Actor actor, string role, string what, IEnumerable<string> clusters, bool isDrill) =>
        clusters.Select(c => Refusal(actor, role, what, c, isDrill)).FirstOrDefault(r => r is not null);

    /// <summary>The roles the actor holds on all of the run's clusters: an approver on the source only approves nothing on the destination.</summary>
    public static Actor OnClusters(Actor actor, IReadOnlyList<string> clusters, bool isDrill) =>
        clusters.Skip(1).Aggregate(actor.On(clusters[0], isDrill), (on, cluster) =>
            on with { Roles = on.Roles.Intersect(actor.RolesOn(cluster, isDrill), StringComparer.OrdinalIgnoreCase).ToList() });

    /// <summary>Four-eyes: an approver on every cluster of the run who did not drive it (start, resume, confirm, answer).</summary>
    public static bool MayApprove(Actor actor, IReadOnlyList<string> clusters, bool isDrill, IEnumerable<string> runActors) =>
        OnClusters(actor, clusters, isDrill).IsInRole(Roles.Approver) && !runActors.Contains(actor.UserName, StringComparer.OrdinalIgnoreCase);
}
