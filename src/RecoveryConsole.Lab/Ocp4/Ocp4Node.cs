using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4.Runtime;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>A systemd unit of a host (kubelet, crio, ovs-vswitchd, ovsdb-server).</summary>
internal sealed class UnitState(string name)
{
    public string Name { get; } = name;
    public bool Active { get; set; }
    public DateTimeOffset Since { get; set; }
    public int MainPid { get; set; }
    public List<(DateTimeOffset Time, string Text)> Journal { get; } = [];
}

/// <summary>The kubelet's certificates and its certificate signing requests in flight.</summary>
internal sealed class KubeletState
{
    /// <summary>The client certificate the running kubelet uses (loaded from /var/lib/kubelet/pki at start).</summary>
    public LabCertificate? Client { get; set; }
    public LabCertificate? Serving { get; set; }
    public string? PendingClientCsr { get; set; }
    public string? PendingServingCsr { get; set; }
    public DateTimeOffset NextCsrAttempt { get; set; }

    /// <summary>Last error the kubelet logged about talking to the API (shown by systemctl status, journalctl).</summary>
    public string? LastApiError { get; set; }

    public void Reset()
    {
        Client = null;
        Serving = null;
        PendingClientCsr = null;
        PendingServingCsr = null;
        LastApiError = null;
    }
}

/// <summary>One host of a simulated OCP 4 cluster: its units, container runtime, kubelet, addresses.</summary>
public sealed class Ocp4Node
{
    internal Ocp4Node(LabHost host, int index)
    {
        Host = host;
        Index = index;
        foreach (var unit in UnitNames) Units[unit] = new UnitState(unit);
    }

    public static readonly IReadOnlyList<string> UnitNames = ["kubelet", "crio", "ovs-vswitchd", "ovsdb-server"];

    public LabHost Host { get; }
    public int Index { get; }
    public string Name => Host.Name;
    public string Address => Host.Address;
    public bool IsControlPlane => Host.Roles.Contains(HostRoles.ControlPlane);
    public bool IsWorker => Host.Roles.Contains(HostRoles.Worker);

    /// <summary>Powered on and connected. A lost host (scenario) or one being re-provisioned is down.</summary>
    public bool IsUp => Host.Reachable;

    public string PeerUrl => $"https://{Address}:2380";
    public string ClientUrl => $"https://{Address}:2379";

    internal bool WasUp { get; set; }
    internal DateTimeOffset BootedAt { get; set; }
    internal ContainerRuntime Runtime { get; } = new();
    internal KubeletState Kubelet { get; } = new();
    internal Dictionary<string, UnitState> Units { get; } = new(StringComparer.Ordinal);

    /// <summary>Virtual IPs configured on br-ex (keepalived adds them; they stay if keepalived dies uncleanly).</summary>
    internal List<string> Vips { get; } = [];

    /// <summary>Set while the host is being re-provisioned by the Machine API (it comes back with an empty disk).</summary>
    internal bool Provisioning { get; set; }

    /// <summary>A reboot is under way: the host comes back by itself when its boot time has passed.</summary>
    internal bool RebootPending { get; set; }

    /// <summary>Counts reboots, so a boot scheduled by an earlier one that was overtaken does nothing.</summary>
    internal int RebootGeneration { get; set; }

    /// <summary>A host built by a new Machine: the cluster-machine-approver approves its first CSRs.</summary>
    internal bool NewMachine { get; set; }

    internal UnitState KubeletUnit => Units["kubelet"];

    internal bool KubeletActive => IsUp && KubeletUnit.Active;

    internal IEnumerable<RuntimePod> StaticPods => Runtime.Pods.Where(p => p.IsStatic);

    /// <summary>The running (not stopping) pod of a kind, if any.</summary>
    internal RuntimePod? ActivePod(PodKind kind) =>
        Runtime.Pods.Where(p => p.Kind == kind && !p.StopRequested).OrderByDescending(p => p.CreatedAt).FirstOrDefault();

    internal RuntimeContainer? RunningContainer(PodKind kind, string container) =>
        IsUp ? Runtime.Pods.Where(p => p.Kind == kind).SelectMany(p => p.Containers).FirstOrDefault(c => c.Name == container && c.IsRunning) : null;

    public override string ToString() => Name;
}
