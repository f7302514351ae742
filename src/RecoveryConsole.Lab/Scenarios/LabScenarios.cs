using System.Collections.Concurrent;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;

namespace RecoveryConsole.Lab.Scenarios;

/// <summary>What applying a scenario did, and how the cluster looks right after.</summary>
public sealed record LabScenarioApplication(string Cluster, LabScenario Scenario, DateTimeOffset AppliedAt, LabHealthReport Health);

/// <summary>
/// Starts drills: lists the scenarios, applies one to a lab cluster (always from a fresh healthy state), resets a
/// cluster, and creates a new lab cluster for a drill so that several teams can rehearse at once.
/// </summary>
public sealed class LabScenarios(LabClusterRegistry registry, LabScenarioCatalog? catalog = null, LabFaultRegistry? faults = null)
{
    private readonly ConcurrentDictionary<string, string> _active = new(StringComparer.Ordinal);
    private int _drills;

    public LabScenarioCatalog Catalog { get; } = catalog ?? LabScenarioCatalog.Default;
    public LabFaultRegistry Faults { get; } = faults ?? LabFaultRegistry.CreateDefault();

    public IReadOnlyList<LabScenario> List() => Catalog.All;

    /// <summary>The scenarios that can be staged on a cluster (its simulation model has every fault they use).</summary>
    public IReadOnlyList<LabScenario> ListFor(string clusterName)
    {
        var cluster = Cluster(clusterName);
        return Catalog.All.Where(s => s.CanStageOn(clusterName, ModelOf(cluster))).ToList();
    }

    public LabScenario? Find(string id) => Catalog.Find(id);

    /// <summary>The scenario last applied to a cluster since its last reset, if any.</summary>
    public string? Active(string clusterName) => _active.GetValueOrDefault(clusterName);

    /// <summary>Resets the cluster to its healthy seed (with the seed-time backup), then stages every fault in order.</summary>
    public LabScenarioApplication Apply(string clusterName, string scenarioId)
    {
        var scenario = Find(scenarioId) ?? throw new LabScenarioException($"no scenario '{scenarioId}'; known: {string.Join(", ", Catalog.All.Select(s => s.Id))}");
        var cluster = Cluster(clusterName);
        if (ModelOf(cluster) != scenario.Model)
            throw new LabScenarioException($"scenario {scenario.Id} needs a '{scenario.Model}' lab cluster; {clusterName} is '{ModelOf(cluster) ?? "not modelled"}'");
        if (!scenario.CanStageOn(clusterName, ModelOf(cluster)))
            throw new LabScenarioException($"scenario {scenario.Id} is staged on {string.Join(" or ", scenario.StagedOn)}, not on {clusterName}: choose it there (staging it resets the whole estate).");
        var handlers = scenario.Faults
            .Select(f => (Fault: f, Handler: Faults.Find(scenario.Model, f.Type)
                ?? throw new LabScenarioException($"scenario {scenario.Id}: unknown fault type '{f.Type}' for model {scenario.Model} (known: {string.Join(", ", Faults.Types(scenario.Model))})")))
            .ToList();

        cluster.Reset();
        foreach (var (fault, handler) in handlers) handler.Apply(cluster, fault);
        _active[clusterName] = scenario.Id;
        return new LabScenarioApplication(clusterName, scenario, cluster.Clock.UtcNow, LabHealth.Evaluate(cluster));
    }

    /// <summary>Back to the healthy seed state.</summary>
    public void Reset(string clusterName)
    {
        Cluster(clusterName).Reset();
        _active.TryRemove(clusterName, out _);
    }

    /// <summary>
    /// A new simulated cluster shaped like the demo one (or <paramref name="template"/>'s cluster), registered under a
    /// fresh name, with <paramref name="scenarioId"/> applied when given.
    /// </summary>
    public LabCluster CreateDrill(string? scenarioId = null, string? name = null, string template = LabClusterCatalog.DemoClusterName)
    {
        var info = (registry.FindLab(template)?.Info ?? LabClusterCatalog.DemoOpenShift()) with
        {
            Name = name ?? $"{template}-drill-{Interlocked.Increment(ref _drills)}",
        };
        var cluster = registry.Add(info);
        if (scenarioId is not null) Apply(cluster.Info.Name, scenarioId);
        return cluster;
    }

    private LabCluster Cluster(string name) => registry.FindLab(name) ?? throw new LabScenarioException($"no lab cluster '{name}'");

    private static string? ModelOf(LabCluster cluster) => cluster.Model?.Kind;
}
