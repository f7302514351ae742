using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>Turns a step's target into the cluster's hosts: in the order the target lists them, each set in the cluster's order.</summary>
internal static class HostResolver
{
    public static IReadOnlyList<HostInfo> Resolve(StepTarget target, ClusterInfo cluster, StepScope scope) => target.Mode switch
    {
        TargetMode.Cluster => [],
        TargetMode.One => [One(target.Host ?? BuiltInNames.Host, cluster, scope)],
        _ => Many(target, cluster, scope),
    };

    /// <summary>A host set, <c>role:NAME</c>, a hostList parameter or a host parameter.</summary>
    public static IReadOnlyList<HostInfo> Set(string name, ClusterInfo cluster, StepScope scope) => name switch
    {
        HostSetNames.ControlPlaneHosts => cluster.ControlPlaneHosts.ToList(),
        HostSetNames.Workers => cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.Worker)).ToList(),
        HostSetNames.AllHosts => cluster.Hosts.ToList(),
        _ when name.StartsWith(HostSetNames.RolePrefix, StringComparison.Ordinal) =>
            cluster.Hosts.Where(h => h.Roles.Contains(name[HostSetNames.RolePrefix.Length..])).ToList(),
        _ when name == BuiltInNames.Host => scope.Host is { } h ? [h] : [],
        _ when scope.Values.TryGetValue(name, out var list) => TemplateValues.Items(list).Select(n => Find(n, cluster, name)).ToList(),
        _ => throw new StepFailedException($"'{name}' is neither a host set nor a host or host-list parameter."),
    };

    private static HostInfo One(string reference, ClusterInfo cluster, StepScope scope)
    {
        if (reference == BuiltInNames.Host)
            return scope.Host ?? throw new StepFailedException("The step runs on the current host, but no host is in scope.");
        return scope.Values.TryGetValue(reference, out var name) ? Find(name, cluster, reference) : Find(reference, cluster, "on");
    }

    private static IReadOnlyList<HostInfo> Many(StepTarget target, ClusterInfo cluster, StepScope scope)
    {
        var hosts = Names(target.Hosts ?? HostSetNames.AllHosts).SelectMany(n => Set(n, cluster, scope)).DistinctBy(h => h.Name).ToList();
        if (target.Except is { } except)
        {
            var leaveOut = Names(except).SelectMany(n => Set(n, cluster, scope)).Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
            hosts = hosts.Where(h => !leaveOut.Contains(h.Name)).ToList();
        }
        return hosts;
    }

    private static string[] Names(string joined) => joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static HostInfo Find(string name, ClusterInfo cluster, string from) =>
        cluster.FindHost(name) ?? throw new StepFailedException($"'{from}' names host '{name}', which cluster {cluster.Name} does not have.");
}
