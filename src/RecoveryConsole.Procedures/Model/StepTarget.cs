namespace RecoveryConsole.Procedures.Model;

public enum TargetMode
{
    /// <summary>No host: API calls, manual steps, actions.</summary>
    Cluster,
    /// <summary>One host, named by a parameter or a literal host name.</summary>
    One,
    /// <summary>Each host of a set in turn; the next starts when the previous succeeded.</summary>
    EachInTurn,
    /// <summary>All hosts of a set at once.</summary>
    AllAtOnce,
    /// <summary>
    /// All hosts of a set started together behind a barrier: every host is checked first and, if any is unreachable, none
    /// starts; then one signal releases all, and the start skew is recorded and judged against <see cref="StepTarget.MaxSkew"/>.
    /// </summary>
    Together,
}

/// <summary>
/// Where a step runs. <see cref="Host"/> names a host parameter (or a literal host) for <see cref="TargetMode.One"/>;
/// <see cref="Hosts"/> names a host set (controlPlaneHosts, workers, allHosts) or a hostList parameter;
/// <see cref="Except"/> names a host parameter to leave out (e.g. the recovery host).
/// <see cref="MaxSkew"/>: for <see cref="TargetMode.Together"/>, the start skew above which a warning is written (null: the console's default).
/// </summary>
public sealed record StepTarget(TargetMode Mode, string? Host = null, string? Hosts = null, string? Except = null, TimeSpan? MaxSkew = null)
{
    /// <summary>Several hosts: each in turn, all at once or together.</summary>
    public bool IsHostSet => Mode is TargetMode.EachInTurn or TargetMode.AllAtOnce or TargetMode.Together;

    public static readonly StepTarget Cluster = new(TargetMode.Cluster);
}
