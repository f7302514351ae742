using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Where a step executes: the instance-path prefix of its parents, the host bound by an enclosing per-host group,
/// and the values its templates and conditions see (parameters, cluster.*, facts.*, host.*).
/// </summary>
internal sealed record StepScope(string Prefix, HostInfo? Host, IReadOnlyDictionary<string, string> Values)
{
    public static StepScope Root(ClusterInfo cluster, IReadOnlyDictionary<string, string> parameters)
    {
        var values = new Dictionary<string, string>(parameters)
        {
            [BuiltInNames.ClusterName] = cluster.Name,
            [BuiltInNames.ClusterVersion] = cluster.Version,
        };
        foreach (var (k, v) in cluster.Facts) values[BuiltInNames.FactsPrefix + k] = v;
        return new StepScope("", null, values);
    }

    public StepScope ForHost(string prefix, HostInfo host) => new(prefix, host, WithHost(host));

    public IReadOnlyDictionary<string, string> WithHost(HostInfo host) => new Dictionary<string, string>(Values)
    {
        [BuiltInNames.Host] = host.Name,
        [BuiltInNames.HostName] = host.Name,
        [BuiltInNames.HostAddress] = host.Address,
    };

    /// <summary>Conditions may name facts bare (`keepalived`) as well as `facts.keepalived`; parameters win over facts.</summary>
    public IReadOnlyDictionary<string, string> ConditionValues()
    {
        var values = new Dictionary<string, string>(Values);
        foreach (var (k, v) in Values)
            if (k.StartsWith(BuiltInNames.FactsPrefix, StringComparison.Ordinal))
                values.TryAdd(k[BuiltInNames.FactsPrefix.Length..], v);
        return values;
    }
}
