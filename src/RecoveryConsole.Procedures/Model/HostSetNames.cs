namespace RecoveryConsole.Procedures.Model;

/// <summary>The host sets a cluster always has; procedures name them in <c>from</c> and <c>forEach.hosts</c>.</summary>
public static class HostSetNames
{
    public const string ControlPlaneHosts = "controlPlaneHosts";
    public const string Workers = "workers";
    public const string AllHosts = "allHosts";

    /// <summary><c>role:infra</c>: the hosts that have that role.</summary>
    public const string RolePrefix = "role:";

    public static readonly IReadOnlyList<string> All = [ControlPlaneHosts, Workers, AllHosts];

    public static bool IsHostSet(string name) => All.Contains(name);
}
