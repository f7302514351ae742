using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Parameters;

/// <summary>The host names of the cluster a run targets, by host set (see <see cref="HostSetNames"/>).</summary>
public sealed record HostSets(IReadOnlyList<string> ControlPlaneHosts, IReadOnlyList<string> Workers, IReadOnlyList<string> AllHosts)
{
    public static readonly HostSets Empty = new([], [], []);

    /// <summary>The hosts of a named set; null when <paramref name="setName"/> is not a host set.</summary>
    public IReadOnlyList<string>? Get(string setName) => setName switch
    {
        HostSetNames.ControlPlaneHosts => ControlPlaneHosts,
        HostSetNames.Workers => Workers,
        HostSetNames.AllHosts => AllHosts,
        _ => null,
    };
}
