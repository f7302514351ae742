using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Procedures.ApplicabilityRules;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// The clusters a start request chose for a procedure's roles, checked on the server: every role has a registered
/// cluster of the role's product, the main role's is the run's cluster, roles that must differ do, and simulated and
/// real clusters are never mixed in one run (a drill must not reach production). A one-cluster procedure has no roles.
/// </summary>
internal sealed record RunClusterChoice(ClusterConnection Main, IReadOnlyDictionary<string, ClusterConnection> Roles)
{
    public IEnumerable<ClusterConnection> All => Roles.Values.Prepend(Main).DistinctBy(c => c.Info.Name);

    /// <summary>Throws ArgumentException naming the role and the reason.</summary>
    public static RunClusterChoice Resolve(Procedure procedure, StartRunRequest request, IClusterRegistry registry)
    {
        var chosen = request.Clusters ?? new Dictionary<string, string>();
        if (procedure.Clusters.Count == 0)
        {
            if (chosen.Count > 0) throw new ArgumentException($"{procedure.Title} acts on one cluster; it has no cluster roles to choose.");
            return new(Find(registry, request.ClusterName), new Dictionary<string, ClusterConnection>());
        }
        foreach (var unknown in chosen.Keys.Where(k => procedure.Clusters.All(c => c.Name != k)))
            throw new ArgumentException($"{procedure.Title} has no cluster role '{unknown}'; its roles: {string.Join(", ", procedure.Clusters.Select(c => c.Name))}.");

        var main = procedure.Clusters[0];
        if (chosen.TryGetValue(main.Name, out var mainChoice) && !string.IsNullOrEmpty(mainChoice) && mainChoice != request.ClusterName)
            throw new ArgumentException($"The run's cluster ({request.ClusterName}) is the {main.Label}: the request chose {mainChoice} for it.");
        var roles = new Dictionary<string, ClusterConnection>(StringComparer.Ordinal);
        foreach (var role in procedure.Clusters)
        {
            var name = role == main ? request.ClusterName : chosen.GetValueOrDefault(role.Name);
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"Choose the {role.Label} ({role.Name}).");
            var cluster = registry.Find(name) ?? throw new ArgumentException($"There is no cluster '{name}' for the {role.Label}.");
            var applies = ApplicabilityCheck.Evaluate(procedure, role, cluster.Info.Name, cluster.Info.Product, cluster.Info.Version);
            if (!applies.Applies) throw new ArgumentException($"{cluster.Info.Name} cannot be the {role.Label}: {applies.Reason}");
            roles[role.Name] = cluster;
        }
        foreach (var role in procedure.Clusters.Where(r => r.DifferentFrom is not null))
        {
            var other = procedure.Clusters.First(r => r.Name == role.DifferentFrom);
            if (roles[role.Name].Info.Name == roles[other.Name].Info.Name)
                throw new ArgumentException($"The {role.Label} and the {other.Label} must be different clusters; both are {roles[role.Name].Info.Name}.");
        }
        if (roles.Values.Select(c => c.Info.IsSimulated).Distinct().Count() > 1)
            throw new ArgumentException("A run cannot mix simulated lab clusters and real clusters: "
                + string.Join(", ", roles.Select(r => $"{r.Key} = {r.Value.Info.Name}{(r.Value.Info.IsSimulated ? " (simulated)" : "")}")) + ".");
        return new(roles[main.Name], roles);
    }

    private static ClusterConnection Find(IClusterRegistry registry, string name) =>
        registry.Find(name) ?? throw new ArgumentException($"There is no cluster '{name}'.");
}
