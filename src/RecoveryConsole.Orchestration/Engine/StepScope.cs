using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Where a step executes: the instance-path prefix of its parents, the host bound by an enclosing per-host group,
/// and the values its templates and conditions see (parameters, cluster.*, facts.*, host.*, and the run variables
/// visible at this prefix, see <see cref="RunVariables"/>).
/// </summary>
internal sealed record StepScope(string Prefix, HostInfo? Host, IReadOnlyDictionary<string, string> Fixed, RunVariables Variables)
{
    public static StepScope Root(ClusterInfo cluster, IReadOnlyDictionary<string, string> parameters, RunVariables? variables = null)
    {
        var values = new Dictionary<string, string>(parameters)
        {
            [BuiltInNames.ClusterName] = cluster.Name,
            [BuiltInNames.ClusterVersion] = cluster.Version,
        };
        foreach (var (k, v) in cluster.Facts) values[BuiltInNames.FactsPrefix + k] = v;
        // The host sets as lists, for conditions such as `option in controlPlaneHosts`.
        values[HostSetNames.ControlPlaneHosts] = TemplateValues.FromList(cluster.ControlPlaneHosts.Select(h => h.Name));
        values[HostSetNames.Workers] = TemplateValues.FromList(cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.Worker)).Select(h => h.Name));
        values[HostSetNames.AllHosts] = TemplateValues.FromList(cluster.Hosts.Select(h => h.Name));
        // Any host named by a parameter has its address at hand: {{ recoveryHost.address }}.
        foreach (var (name, value) in parameters)
        {
            if (cluster.FindHost(value) is { } host)
            {
                values[$"{name}.name"] = host.Name;
                values[$"{name}.address"] = host.Address;
            }
            if (value.Contains(',', StringComparison.Ordinal) || cluster.FindHost(value) is not null)
                values[$"{name}.length"] = TemplateValues.Items(value).Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new StepScope("", null, values, variables ?? new RunVariables());
    }

    /// <summary>The values at this point of the run: fixed ones, then variables (innermost layer wins), then the host.</summary>
    public IReadOnlyDictionary<string, string> Values
    {
        get
        {
            var values = new Dictionary<string, string>(Fixed);
            Variables.AddVisible(Prefix, values);
            if (Host is { } host) AddHost(values, host);
            return values;
        }
    }

    /// <summary>The layer captures of a step in this scope go to.</summary>
    public string Layer => RunVariables.LayerOf(Prefix);

    public StepScope ForHost(string prefix, HostInfo host) => this with { Prefix = prefix, Host = host };

    public StepScope At(string prefix) => this with { Prefix = prefix };

    public IReadOnlyDictionary<string, string> WithHost(HostInfo host)
    {
        var values = new Dictionary<string, string>(Values);
        AddHost(values, host);
        return values;
    }

    /// <summary>Conditions may name facts bare (`keepalived`) as well as `facts.keepalived`; parameters win over facts.</summary>
    public IReadOnlyDictionary<string, string> ConditionValues()
    {
        var all = Values;
        var values = new Dictionary<string, string>(all);
        foreach (var (k, v) in all)
            if (k.StartsWith(BuiltInNames.FactsPrefix, StringComparison.Ordinal))
                values.TryAdd(k[BuiltInNames.FactsPrefix.Length..], v);
        return values;
    }

    private static void AddHost(Dictionary<string, string> values, HostInfo host)
    {
        values[BuiltInNames.Host] = host.Name;
        values[BuiltInNames.HostName] = host.Name;
        values[BuiltInNames.HostAddress] = host.Address;
    }
}
