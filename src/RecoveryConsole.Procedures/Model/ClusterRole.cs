namespace RecoveryConsole.Procedures.Model;

/// <summary>
/// One cluster a multi-cluster procedure acts on (hosted control planes: source and destination management clusters,
/// the hosted cluster). The wizard asks for a cluster per role; API steps name the role they talk to. The first role is
/// the run's main cluster: its name is the run's cluster (history, one active run per cluster, per-cluster roles).
/// </summary>
public sealed record ClusterRole
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    /// <summary>The product the chosen cluster must be (e.g. hypershift-management); null: the procedure's own.</summary>
    public string? Product { get; init; }
    public string Help { get; init; } = "";
    /// <summary>Another role whose cluster this one must not be (a migration's destination is not its source).</summary>
    public string? DifferentFrom { get; init; }
    /// <summary>What preflight checks on this role's cluster besides its API answering, e.g. <see cref="ClusterRequirements.ExternalDns"/>.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
    /// <summary>
    /// The API is down for part of the run by design (a hosted cluster's while its control plane moves): checked before
    /// the first step, not when the run resumes; the steps that use it say when it does not answer.
    /// </summary>
    public bool DownDuringRun { get; init; }
}

/// <summary>Checks a role may ask preflight to make on its cluster.</summary>
public static class ClusterRequirements
{
    /// <summary>The HyperShift operator runs with external-dns (<c>--external-dns-*</c>), so a moved hosted cluster keeps its API URL.</summary>
    public const string ExternalDns = "externalDns";
    public static readonly IReadOnlyList<string> All = [ExternalDns];
}
