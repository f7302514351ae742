namespace RecoveryConsole.Procedures.Model;

/// <summary>
/// Names the console supplies itself in templates and conditions. Parameters may not take the reserved
/// roots, so a procedure can never shadow the current host or the cluster's facts.
/// </summary>
public static class BuiltInNames
{
    /// <summary>The current host (its name) inside a step that has a target; also usable as <c>on: host</c>.</summary>
    public const string Host = "host";
    public const string HostName = "host.name";
    public const string HostAddress = "host.address";
    public const string ClusterName = "cluster.name";
    public const string ClusterVersion = "cluster.version";
    /// <summary>Prefix of cluster facts in templates: <c>{{ facts.networkType }}</c>.</summary>
    public const string FactsPrefix = "facts.";

    public static readonly IReadOnlyList<string> ReservedParameterNames = ["host", "cluster", "facts"];

    public static bool IsHostName(string name) => name is Host or HostName or HostAddress;

    /// <summary>True for built-ins that exist whether or not a host is in scope.</summary>
    public static bool IsClusterName(string name) =>
        name is ClusterName or ClusterVersion
        || (name.StartsWith(FactsPrefix, StringComparison.Ordinal) && name.Length > FactsPrefix.Length);
}
