using System.Text;
using RecoveryConsole.Lab.Clusters;

namespace RecoveryConsole.Lab.Health;

/// <summary>
/// One thing wrong with a simulated cluster, in words an operator understands. <see cref="Code"/> is stable (for
/// tests and pages); <see cref="Subject"/> names what it is about (a host, a member, an operator, an object).
/// </summary>
public sealed record LabProblem(string Code, string Subject, string Message)
{
    public override string ToString() => $"[{Code}] {Subject}: {Message}";
}

/// <summary>The lab's own verdict on a cluster: healthy, or the list of problems.</summary>
public sealed record LabHealthReport(string Cluster, DateTimeOffset At, IReadOnlyList<LabProblem> Problems)
{
    public bool Healthy => Problems.Count == 0;

    public bool Has(string code) => Problems.Any(p => p.Code == code);

    public IEnumerable<LabProblem> Of(string code) => Problems.Where(p => p.Code == code);

    public override string ToString()
    {
        if (Healthy) return $"{Cluster} is healthy";
        var sb = new StringBuilder($"{Cluster} has {Problems.Count} problem(s):");
        foreach (var problem in Problems) sb.Append("\n  ").Append(problem);
        return sb.ToString();
    }
}

/// <summary>
/// Judges a lab cluster from the simulation's state (processes, members, files, objects), never from what a
/// procedure believes: a drill is over when this says healthy.
/// </summary>
public static class LabHealth
{
    public static LabHealthReport Evaluate(LabCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (cluster.Model is { } model) return model.Diagnose();
        // Products the lab does not model yet: only reachability can be judged.
        var problems = cluster.Hosts.Where(h => !h.Reachable)
            .Select(h => new LabProblem("host-down", h.Name, $"host {h.Name} is down or unreachable"))
            .ToList();
        if (!cluster.Api.Available) problems.Add(new LabProblem("api-unreachable", "api", "the Kubernetes API does not answer"));
        return new LabHealthReport(cluster.Info.Name, cluster.Clock.UtcNow, problems);
    }
}
