using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Hosts;

namespace RecoveryConsole.Lab.Ocp4;

// The Machine API (machine.openshift.io/v1beta1): deleting a machine destroys its host; the control-plane machine
// set (or the worker machine set) creates a replacement that comes up on the same lab host slot with an empty disk.
public sealed partial class Ocp4Cluster
{
    internal const string MachineNamespace = "openshift-machine-api";
    internal const string MachinesPath = "/apis/machine.openshift.io/v1beta1/namespaces/" + MachineNamespace + "/machines";
    internal static readonly TimeSpan ProvisionDelay = TimeSpan.FromSeconds(90);

    private readonly Queue<JsonObject> _deletedMachines = new();
    private readonly Dictionary<string, string> _provisioning = new(StringComparer.Ordinal); // machine -> host

    internal string InfraId => $"{Lab.Info.Name}-{LabIds.Digest(Lab.Info.Name)[..5]}";

    private void OnMachineDeleted(JsonObject machine) => _deletedMachines.Enqueue(machine);

    internal static string? HostOfMachine(JsonObject machine) =>
        (string?)machine["status"]?["nodeRef"]?["name"] ?? (string?)machine["metadata"]?["annotations"]?["lab.recoveryconsole.io/host"];

    private bool SyncMachines()
    {
        var changed = false;
        while (_deletedMachines.TryDequeue(out var deleted))
        {
            ReplaceMachine(deleted);
            changed = true;
        }
        foreach (var machine in Api.ListObjects(MachinesPath))
        {
            var name = (string)machine["metadata"]!["name"]!;
            var hostName = HostOfMachine(machine) ?? _provisioning.GetValueOrDefault(name);
            var node = hostName is null ? null : Node(hostName);
            if (node is null) continue;
            var status = machine["status"] as JsonObject ?? [];
            machine["status"] = status;
            var before = status.DeepClone();
            var providerStatus = status["providerStatus"] as JsonObject ?? new JsonObject { ["apiVersion"] = "machine.openshift.io/v1beta1", ["kind"] = "VSphereMachineProviderStatus" };
            status["providerStatus"] = providerStatus;
            providerStatus["instanceState"] = node.IsUp ? "poweredOn" : "poweredOff";
            if (_provisioning.ContainsKey(name))
            {
                if (node.IsUp && NodeReadyInApi(node.Name))
                {
                    status["phase"] = "Running";
                    status["nodeRef"] = new JsonObject { ["kind"] = "Node", ["name"] = node.Name, ["uid"] = Api.Get($"/api/v1/nodes/{node.Name}")?["metadata"]?["uid"]?.DeepClone() };
                    _provisioning.Remove(name);
                }
                else
                {
                    status["phase"] = node.IsUp ? "Provisioned" : "Provisioning";
                }
            }
            if (JsonNode.DeepEquals(before, status)) continue;
            Api.Put($"{MachinesPath}/{name}", machine);
            changed = true;
        }
        return changed;
    }

    /// <summary>The machine is gone: its host is destroyed, its node and pods removed, its etcd member removed, and a new machine ordered.</summary>
    private void ReplaceMachine(JsonObject deleted)
    {
        var hostName = HostOfMachine(deleted) ?? _provisioning.GetValueOrDefault((string?)deleted["metadata"]?["name"] ?? "");
        var node = hostName is null ? null : Node(hostName);
        if (node is null) return;

        node.Host.Reachable = false;
        if (node.WasUp) PowerOff(node);
        node.WasUp = false;
        node.Provisioning = true;

        Api.Remove($"/api/v1/nodes/{node.Name}");
        foreach (var ns in StaticNamespaces.Append(OvnNamespace))
        {
            foreach (var pod in Api.ListObjects($"/api/v1/namespaces/{ns}/pods").Where(p => (string?)p["spec"]?["nodeName"] == node.Name))
                Api.Remove($"/api/v1/namespaces/{ns}/pods/{pod["metadata"]!["name"]}");
        }
        if (node.IsControlPlane && LiveEtcd is { } live && live.Members.FirstOrDefault(m => m.NodeName == node.Name) is { } member)
            RemoveMember(live, member.Id); // the etcd operator's member removal controller; fails without quorum

        var role = (string?)deleted["metadata"]?["labels"]?["machine.openshift.io/cluster-api-machine-role"] ?? (node.IsControlPlane ? "master" : "worker");
        var existing = Api.ListObjects(MachinesPath).Select(m => (string)m["metadata"]!["name"]!).ToList();
        string name;
        if (role == "master")
        {
            var next = existing.Append((string)deleted["metadata"]!["name"]!)
                .Select(n => n.StartsWith(InfraId + "-master-", StringComparison.Ordinal) && int.TryParse(n[(InfraId.Length + 8)..], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1)
                .Append(-1).Max() + 1;
            name = $"{InfraId}-master-{next.ToString(CultureInfo.InvariantCulture)}";
        }
        else
        {
            name = $"{InfraId}-worker-0-{Ids.Suffix()}";
        }
        var machine = MachineObject(name, role, node.Name);
        machine["status"] = new JsonObject { ["phase"] = "Provisioning" };
        Api.Put($"{MachinesPath}/{name}", machine);
        _provisioning[name] = node.Name;

        At(ProvisionDelay, "provision " + name, _ =>
        {
            if (!_provisioning.ContainsKey(name) || node.IsUp) return;
            PrepareFreshHost(node);
            node.NewMachine = true;
            node.Provisioning = false;
            node.Host.Reachable = true; // boots at the next reconcile
        });
    }

    /// <summary>A new machine's disk: the OS, the kubelet's bootstrap kubeconfig, and what the MCO writes (keepalived).</summary>
    internal void PrepareFreshHost(Ocp4Node node)
    {
        node.Host.FileSystem.Clear();
        LabHostSeed.Populate(node.Host, Release.Version);
        node.Host.FileSystem.Delete(StaticPods.ManifestDirectory);
        node.Host.FileSystem.Delete(EtcdDataDirectory);
        WriteBaseFiles(node);
    }

    internal JsonObject MachineObject(string name, string role, string hostName) => new()
    {
        ["apiVersion"] = "machine.openshift.io/v1beta1",
        ["kind"] = "Machine",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = MachineNamespace,
            ["labels"] = new JsonObject
            {
                ["machine.openshift.io/cluster-api-cluster"] = InfraId,
                ["machine.openshift.io/cluster-api-machine-role"] = role,
                ["machine.openshift.io/cluster-api-machine-type"] = role,
            },
            ["annotations"] = new JsonObject { ["lab.recoveryconsole.io/host"] = hostName },
        },
        ["spec"] = new JsonObject
        {
            ["providerID"] = "vsphere://" + Ids.NextGuid(),
            ["providerSpec"] = new JsonObject
            {
                ["value"] = new JsonObject
                {
                    ["apiVersion"] = "machine.openshift.io/v1beta1",
                    ["kind"] = "VSphereMachineProviderSpec",
                    ["numCPUs"] = role == "master" ? 8 : 4,
                    ["memoryMiB"] = role == "master" ? 32768 : 16384,
                    ["template"] = $"{InfraId}-rhcos",
                },
            },
        },
    };
}
