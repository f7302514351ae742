using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Hosts;

/// <summary>The state of one simulated host. Later scenarios mutate it (files, reachability) to stage faults.</summary>
public sealed class LabHost
{
    private volatile bool _reachable = true;

    public LabHost(string name, string address, IReadOnlyList<string> roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Address = address;
        Roles = roles;
    }

    public string Name { get; }
    public string Address { get; }
    public IReadOnlyList<string> Roles { get; }

    /// <summary>Where relative paths start: RHCOS hosts are entered as the user core.</summary>
    public string HomeDirectory { get; init; } = "/home/core";

    public LabFileSystem FileSystem { get; } = new();

    /// <summary>False simulates a host that is down or cut off: the transport throws <see cref="HostUnreachableException"/>.</summary>
    public bool Reachable
    {
        get => _reachable;
        set => _reachable = value;
    }

    /// <summary>
    /// Raised before the transport looks at <see cref="Reachable"/>: the simulation catches up first, since nothing runs
    /// in the background (a rebooting host is back once its boot time has passed on the lab clock).
    /// </summary>
    public event Action? Connecting;

    internal void OnConnecting() => Connecting?.Invoke();

    public HostInfo ToHostInfo() => new(Name, Address, Roles);
}
