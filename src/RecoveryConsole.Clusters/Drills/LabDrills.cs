using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Clusters.Drills;

/// <summary>A lab cluster as the drill page shows it: its health judged by the lab itself, and what can be staged on it.</summary>
public sealed record LabClusterState(string Name, string? Model, LabHealthReport Health, string? ActiveScenario, IReadOnlyList<LabScenario> Scenarios, Guid? ActiveRun);

/// <summary>
/// Game days: stage a disaster on a lab cluster, or reset it. Refused while a run is active on the cluster (the
/// simulation would change under the procedure), allowed to operators, and audited like any other change.
/// </summary>
public sealed class LabDrills(LabClusterRegistry lab, LabScenarios scenarios, RunService runs, IAuditLog audit, TimeProvider clock)
{
    public IReadOnlyList<LabClusterState> List() => lab.List().Select(c => State(c.Name)).ToList();

    public LabClusterState State(string cluster)
    {
        var simulated = lab.FindLab(cluster) ?? throw new KeyNotFoundException($"No lab cluster {cluster}.");
        return new LabClusterState(cluster, simulated.Model?.Kind, LabHealth.Evaluate(simulated), scenarios.Active(cluster),
            simulated.Model is null ? [] : scenarios.ListFor(cluster), runs.ActiveRunOn(cluster));
    }

    public async Task<LabHealthReport> StageAsync(string cluster, string scenarioId, Actor actor, CancellationToken cancellationToken)
    {
        Guard(cluster, actor);
        LabScenarioApplication applied;
        try { applied = scenarios.Apply(cluster, scenarioId); }
        catch (LabScenarioException e) { throw new InvalidOperationException(e.Message, e); }
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.LabScenario, null,
            actor.Audited($"{cluster}: staged '{applied.Scenario.Title}' ({scenarioId}); health: {(applied.Health.Healthy ? "healthy" : string.Join("; ", applied.Health.Problems.Select(p => p.Code)))}")),
            cancellationToken);
        return applied.Health;
    }

    public async Task ResetAsync(string cluster, Actor actor, CancellationToken cancellationToken)
    {
        Guard(cluster, actor);
        scenarios.Reset(cluster);
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.LabScenario, null, actor.Audited($"{cluster}: reset to healthy")), cancellationToken);
    }

    private void Guard(string cluster, Actor actor)
    {
        if (!actor.IsInRole(Roles.Operator) && !actor.IsInRole(Roles.Admin))
            throw new NotAllowedException($"{actor.UserName} may not stage drills: the operator or admin role is needed.");
        if (lab.FindLab(cluster) is null) throw new KeyNotFoundException($"No lab cluster {cluster}.");
        if (runs.ActiveRunOn(cluster) is { } run)
            throw new InvalidOperationException($"Run {run} is active on {cluster}; finish or cancel it before changing the simulation under it.");
    }
}
