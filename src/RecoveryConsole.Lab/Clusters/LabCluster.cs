using RecoveryConsole.Lab.Api;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4;
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
        Connection = new ClusterConnection(info, Transport, Api) { Clock = ScaledTimeProvider.For(time, options.TimeScale) };
        _options = options;
        Model = LabClusterModels.Attach(this, options);
    }

    private readonly LabOptions _options;

    /// <summary>
    /// The simulation behind this cluster (for OpenShift 4.12+: etcd, static pods, kubelets, operators ...), or null
    /// for a product or version the lab does not model yet: then hosts and API are the plain foundation.
    /// </summary>
    public ILabClusterModel? Model { get; private set; }

    /// <summary>The OpenShift 4 model, when that is what simulates this cluster.</summary>
    public Ocp4Cluster? Ocp4 => Model as Ocp4Cluster;

    /// <summary>
    /// Puts the cluster back to its healthy seed state (files, API objects, model), keeping the same transports,
    /// API server and connection objects, so that anyone holding them (runs, the HTTPS front) goes on working.
    /// </summary>
    public void Reset()
    {
        lock (Api.SyncRoot)
        {
            Model?.Detach();
            foreach (var host in Hosts)
            {
                host.FileSystem.Clear();
                host.Reachable = true;
                LabHostSeed.Populate(host, Info.Version);
            }
            Api.RestoreObjects(new Dictionary<string, JsonObject>(StringComparer.Ordinal), 0);
            Api.Available = true;
            LabApiSeed.Populate(Api, Info);
            Model = LabClusterModels.Attach(this, _options);
        }
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
