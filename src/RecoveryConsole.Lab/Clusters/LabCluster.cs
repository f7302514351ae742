using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Lab.Clusters;

/// <summary>
/// One simulated cluster: its hosts' state, its API server, and the transports the orchestrator uses to reach them.
/// Scenarios reach in here (Hosts, Api) to stage faults; the orchestrator only ever sees <see cref="Connection"/>.
/// </summary>
public sealed class LabCluster
{
    public LabCluster(ClusterInfo info, LabOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();

        Info = info;
        Clock = new LabClock(time, options.TimeScale);
        Commands = LabCommandRegistry.CreateDefault();
        var hosts = info.Hosts.Select(h => new LabHost(h.Name, h.Address, h.Roles)).ToList();
        foreach (var host in hosts) LabHostSeed.Populate(host, info.Version);
        Transport = new LabHostTransport(hosts, new LabShell(Commands, Clock));
        Api = new LabKubernetesApi(Clock, options.RolloutStepDelay, $"https://api.{info.Name}.lab.example:6443");
        LabApiSeed.Populate(Api, info);
        Connection = new ClusterConnection(info, Transport, Api);
    }

    public ClusterInfo Info { get; }
    public LabClock Clock { get; }

    /// <summary>The programs of this cluster's hosts; the simulation adds crictl, etcdctl and the recovery scripts here.</summary>
    public LabCommandRegistry Commands { get; }

    public LabHostTransport Transport { get; }
    public LabKubernetesApi Api { get; }
    public ClusterConnection Connection { get; }

    public IReadOnlyCollection<LabHost> Hosts => Transport.Hosts;

    public LabHost Host(string name) =>
        Transport.FindHost(name) ?? throw new ArgumentException($"Cluster {Info.Name} has no host {name}.", nameof(name));
}
