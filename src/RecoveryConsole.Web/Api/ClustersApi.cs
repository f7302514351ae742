using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Web.Api;

/// <summary>GET /api/v1/clusters: the clusters the caller holds a role on, with that role and any active run.</summary>
public static class ClustersApi
{
    public sealed record ClusterHost(string Name, string Address, bool IsControlPlane);

    public sealed record ClusterSummary(string Name, string Product, string Version, bool IsSimulated, IReadOnlyCollection<string> YourRoles,
        Guid? ActiveRun, IReadOnlyList<ClusterHost> Hosts);

    public static RouteGroupBuilder MapClustersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clusters", (HttpContext http, IClusterRegistry registry, RunService runs) =>
            {
                var actor = http.Actor();
                return registry.List().Where(c => actor.MaySee(c.Name, c.IsSimulated)).OrderBy(c => c.Name, StringComparer.Ordinal)
                    .Select(c => new ClusterSummary(c.Name, c.Product, c.Version, c.IsSimulated, actor.RolesOn(c.Name, c.IsSimulated), runs.ActiveRunOn(c.Name),
                        c.Hosts.Select(h => new ClusterHost(h.Name, h.Address, h.IsControlPlane)).ToList()))
                    .ToList();
            })
            .WithName("ListClusters").WithTags("Clusters")
            .WithSummary("List the clusters you hold a role on")
            .WithDescription("Simulated (lab) clusters are marked; a demo account sees only those. YourRoles are the token's roles effective on each cluster.");
        return api;
    }
}
