using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>Turns a step's target into the cluster's hosts, in the cluster's order.</summary>
internal static class HostResolver
{
    public static IReadOnlyList<HostInfo> Resolve(StepTarget target, ClusterInfo cluster, StepScope scope) => target.Mode switch
    {
        TargetMode.Cluster => [],
        TargetMode.One => [One(target.Host ?? BuiltInNames.Host, cluster, scope)],
        _ => Many(target, cluster, scope),
    };

    public static IReadOnlyList<HostInfo> Set(string name, ClusterInfo cluster, StepScope scope) => name switch
    {
        HostSetNames.ControlPlaneHosts => cluster.ControlPlaneHosts.ToList(),
        HostSetNames.Workers => cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.Worker)).ToList(),
        HostSetNames.AllHosts => cluster.Hosts.ToList(),
        _ when scope.Values.TryGetValue(name, out var list) =>
            list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => Find(n, cluster, name)).ToList(),
        _ => throw new StepFailedException($"'{name}' is neither a host set nor a host-list parameter."),
    };

    private static HostInfo One(string reference, ClusterInfo cluster, StepScope scope)
    {
        if (reference == BuiltInNames.Host)
            return scope.Host ?? throw new StepFailedException("The step runs on the current host, but no host is in scope.");
        return scope.Values.TryGetValue(reference, out var name) ? Find(name, cluster, reference) : Find(reference, cluster, "on");
    }

    private static IReadOnlyList<HostInfo> Many(StepTarget target, ClusterInfo cluster, StepScope scope)
    {
        var hosts = Set(target.Hosts ?? HostSetNames.AllHosts, cluster, scope);
        if (target.Except is { } except)
        {
            var leaveOut = scope.Values.GetValueOrDefault(except, except);
            hosts = hosts.Where(h => h.Name != leaveOut).ToList();
        }
        return hosts;
    }

    private static HostInfo Find(string name, ClusterInfo cluster, string from) =>
        cluster.FindHost(name) ?? throw new StepFailedException($"'{from}' names host '{name}', which cluster {cluster.Name} does not have.");
}
