using RecoveryConsole.Clusters.Drills;
using RecoveryConsole.Lab.Health;

namespace RecoveryConsole.Web.Api;

/// <summary>
/// /api/v1/lab: game days from a script, with the Drills page's calls (LabDrills): stage a disaster, reset, and the
/// cluster's health as the lab itself judges it. 404 when the lab is off.
/// </summary>
public static class LabApi
{
    public sealed record LabScenarioSummary(string Id, string Title, string Summary, string? RecoveryHost);

    public sealed record LabClusterSummary(string Cluster, string? Model, bool Healthy, string? ActiveScenario, Guid? ActiveRun,
        IReadOnlyList<LabScenarioSummary> Scenarios);

    public sealed record LabHealthAnswer(string Cluster, bool Healthy, DateTimeOffset At, IReadOnlyList<LabHealthProblem> Problems)
    {
        public static LabHealthAnswer From(LabHealthReport r) => new(r.Cluster, r.Healthy, r.At,
            r.Problems.Select(p => new LabHealthProblem(p.Code, p.Subject, p.Message)).ToList());
    }

    public sealed record LabHealthProblem(string Code, string Subject, string Message);

    private const string LabOff = "The simulated lab is not enabled on this console.";

    public static RouteGroupBuilder MapLabApi(this RouteGroupBuilder api)
    {
        var lab = api.MapGroup("/lab").WithTags("Lab");
        lab.MapGet("/scenarios", (HttpContext http, IServiceProvider services) =>
            {
                if (services.GetService<LabDrills>() is not { } drills) return ApiProblems.NotFound(LabOff);
                var actor = http.Actor();
                return Results.Ok(drills.List().Where(c => actor.MaySee(c.Name, isSimulated: true)).Select(c => new LabClusterSummary(c.Name, c.Model,
                    c.Health.Healthy, c.ActiveScenario, c.ActiveRun, c.Scenarios.Select(s => new LabScenarioSummary(s.Id, s.Title, s.Summary, s.RecoveryHost)).ToList())).ToList());
            })
            .WithName("ListLabScenarios").WithSummary("The lab clusters, their health and the disasters that can be staged on each")
            .Produces<IReadOnlyList<LabClusterSummary>>().ProducesProblem(404);

        lab.MapPost("/{cluster}/scenarios/{scenario}/stage", (string cluster, string scenario, HttpContext http, IServiceProvider services) =>
                ApiProblems.RefusableAsync(async () =>
                {
                    var drills = Drills(services);
                    var health = await drills.StageAsync(cluster, scenario, ActorOn(http, cluster), http.RequestAborted);
                    return Results.Ok(LabHealthAnswer.From(health));
                }))
            .WithName("StageLabScenario").WithSummary("Stage a disaster on a lab cluster")
            .WithDescription("Operator or admin on the cluster; refused (409) while a run is active on it. Answers the lab's health after staging.")
            .Produces<LabHealthAnswer>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        lab.MapPost("/{cluster}/reset", (string cluster, HttpContext http, IServiceProvider services) =>
                ApiProblems.RefusableAsync(async () =>
                {
                    var drills = Drills(services);
                    await drills.ResetAsync(cluster, ActorOn(http, cluster), http.RequestAborted);
                    return Results.Ok(LabHealthAnswer.From(drills.State(cluster).Health));
                }))
            .WithName("ResetLabCluster").WithSummary("Reset a lab cluster to healthy")
            .Produces<LabHealthAnswer>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        lab.MapGet("/{cluster}/health", (string cluster, HttpContext http, IServiceProvider services) =>
                ApiProblems.RefusableAsync(() =>
                {
                    var drills = Drills(services);
                    if (!http.Actor().MaySee(cluster, isSimulated: true)) throw new KeyNotFoundException($"No lab cluster {cluster}.");
                    return Task.FromResult(Results.Ok(LabHealthAnswer.From(drills.State(cluster).Health)));
                }))
            .WithName("GetLabHealth").WithSummary("A lab cluster's health as the lab itself judges it (never what a procedure believes)")
            .Produces<LabHealthAnswer>().ProducesProblem(404);
        return api;
    }

    private static LabDrills Drills(IServiceProvider services) => services.GetService<LabDrills>() ?? throw new KeyNotFoundException(LabOff);

    /// <summary>The roles effective on that lab cluster (a per-cluster assignment replaces the global ones there).</summary>
    private static Orchestration.Approvals.Actor ActorOn(HttpContext http, string cluster) => http.Actor().On(cluster, isSimulated: true);
}
