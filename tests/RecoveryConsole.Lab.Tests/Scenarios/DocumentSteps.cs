using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Tests.Ocp4;

namespace RecoveryConsole.Lab.Tests.Scenarios;

/// <summary>
/// The commands and API calls of 000_fa5c83705aa298d9.txt (OCP 4.x disaster recovery), section by section, as a
/// procedure would run them against the lab: host commands through the transport, `oc` through the API.
/// </summary>
internal sealed class DocumentSteps(Ocp4Harness lab)
{
    public const string ApiVip = "192.0.2.5";
    public const string IngressVip = "192.0.2.6";
    public const string Backup = "/home/core/assets/backup";
    private const string Csrs = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
    private const string Machines = "/apis/machine.openshift.io/v1beta1/namespaces/openshift-machine-api/machines";
    private const string Ovn = "/api/v1/namespaces/openshift-ovn-kubernetes/pods";

    /// <summary>A check command whose output must become empty; "this command's output is not empty: wait a few minutes and check again".</summary>
    public async Task WaitForEmptyAsync(string host, string command) =>
        await lab.WaitUntilAsync($"[{host}] {command} to print nothing", async () =>
            (await lab.RunAsync(host, command)).Out.All(l => l.StartsWith("CONTAINER", StringComparison.Ordinal)));

    /// <summary>5.3.2.2 step 4: stop the static pods of a non-recovery control-plane host and move its etcd data away.</summary>
    public async Task StopStaticPodsAsync(string host, bool keepalived = true)
    {
        await lab.MustAsync(host, "sudo mv -v /etc/kubernetes/manifests/etcd-pod.yaml /tmp");
        await WaitForEmptyAsync(host, "sudo crictl ps | grep etcd | egrep -v \"operator|etcd-guard\"");
        await lab.MustAsync(host, "sudo mv -v /etc/kubernetes/manifests/kube-apiserver-pod.yaml /tmp");
        await WaitForEmptyAsync(host, "sudo crictl ps | grep kube-apiserver | egrep -v \"operator|guard\"");
        await lab.MustAsync(host, "sudo mv -v /etc/kubernetes/manifests/kube-controller-manager-pod.yaml /tmp");
        await WaitForEmptyAsync(host, "sudo crictl ps | grep kube-controller-manager | egrep -v \"operator|guard\"");
        await lab.MustAsync(host, "sudo mv -v /etc/kubernetes/manifests/kube-scheduler-pod.yaml /tmp");
        await WaitForEmptyAsync(host, "sudo crictl ps | grep kube-scheduler | egrep -v \"operator|guard\"");
        await lab.MustAsync(host, "sudo mv -v /var/lib/etcd/ /tmp");
        if (!keepalived) return;
        // 4.11: keepalived.yaml exists and the node will be deleted (step 15 re-creates it).
        await lab.MustAsync(host, "sudo mv -v /etc/kubernetes/manifests/keepalived.yaml /tmp");
        await WaitForEmptyAsync(host, "sudo crictl ps --name keepalived");
        var (_, addresses, _) = await lab.RunAsync(host, $"ip -o address | egrep '{ApiVip}|{IngressVip}'");
        foreach (var line in addresses)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var device = parts[1];
            var address = parts[3];
            await lab.MustAsync(host, $"sudo ip address del {address} dev {device}");
        }
    }

    /// <summary>Step 6: the recovery host owns the API VIP.</summary>
    public async Task<bool> OwnsApiVipAsync(string host) =>
        (await lab.RunAsync(host, $"ip -o address | grep {ApiVip}")).Out.Any(l => l.Contains($"inet {ApiVip}/", StringComparison.Ordinal));

    /// <summary>Step 8: the restore script on the recovery host.</summary>
    public Task<List<string>> RestoreAsync(string host, string directory = Backup) =>
        lab.MustAsync(host, $"sudo -E /usr/local/bin/cluster-restore.sh {directory}");

    /// <summary>Step 9: `oc get nodes`: names of nodes not Ready (null while the API does not answer).</summary>
    public async Task<List<string>?> NotReadyNodesAsync()
    {
        try
        {
            var (status, body) = await lab.ApiAsync("GET", "/api/v1/nodes");
            if (status != 200) return null;
            return body!["items"]!.AsArray().OfType<JsonObject>()
                .Where(n => n["status"]?["conditions"]?.AsArray().OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") != true)
                .Select(n => (string)n["metadata"]!["name"]!)
                .ToList();
        }
        catch (RecoveryConsole.Orchestration.Transports.ApiUnreachableException)
        {
            return null;
        }
    }

    /// <summary>Step 9.2: remove the kubelet's PEM files on a NotReady node.</summary>
    public Task ClearKubeletPkiAsync(string host) => lab.MustAsync(host, "sudo rm -f /var/lib/kubelet/pki/*.pem");

    /// <summary>Step 10: restart the kubelet.</summary>
    public Task RestartKubeletAsync(string host) => lab.MustAsync(host, "sudo systemctl restart kubelet.service");

    /// <summary>`oc get csr`: the pending ones.</summary>
    public async Task<List<JsonObject>> PendingCsrsAsync()
    {
        var list = await lab.MustApiAsync("GET", Csrs);
        return list["items"]!.AsArray().OfType<JsonObject>().Where(c => (c["status"]?["conditions"] as JsonArray ?? []).Count == 0).ToList();
    }

    /// <summary>`oc adm certificate approve NAME`: PUT .../approval with the whole object plus the Approved condition.</summary>
    public async Task ApproveAsync(JsonObject csr)
    {
        csr["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Approved",
                ["status"] = "True",
                ["reason"] = "KubectlApprove",
                ["message"] = "This CSR was approved by kubectl certificate approve.",
            }),
        };
        await lab.MustApiAsync("PUT", $"{Csrs}/{csr["metadata"]!["name"]}/approval", csr.ToJsonString(), "application/json");
    }

    /// <summary>Step 11 / 5.3.3: approve pending CSRs (client ones appear first, serving ones after) until none come.</summary>
    public async Task<List<string>> ApproveCsrsUntilNonePendingAsync(int rounds = 12)
    {
        var approved = new List<string>();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var csr in await PendingCsrsAsync())
            {
                approved.Add($"{csr["spec"]!["signerName"]} {csr["spec"]!["username"]}");
                await ApproveAsync(csr);
            }
            lab.Pass(TimeSpan.FromSeconds(10));
            if ((await PendingCsrsAsync()).Count == 0 && (await NotReadyNodesAsync())?.All(n => lab.Model.Node(n) is not { IsUp: true }) == true) break;
        }
        return approved;
    }

    /// <summary>Step 12: the single-member etcd runs on the recovery host.</summary>
    public async Task<List<string>> RunningEtcdAsync(string host) =>
        (await lab.RunAsync(host, "sudo crictl ps | grep etcd | egrep -v \"operator|etcd-guard\"")).Out;

    public async Task<List<JsonObject>> EtcdPodsAsync() =>
        (await lab.MustApiAsync("GET", "/api/v1/namespaces/openshift-etcd/pods?labelSelector=k8s-app%3Detcd"))["items"]!.AsArray().OfType<JsonObject>().ToList();

    private async Task<List<JsonObject>> OvnPodsAsync(string selector) =>
        (await lab.MustApiAsync("GET", $"{Ovn}?{selector}"))["items"]!.AsArray().OfType<JsonObject>().ToList();

    private static bool Running(JsonObject pod) =>
        (string?)pod["status"]?["phase"] == "Running" && pod["status"]?["conditions"]?.AsArray().OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;

    /// <summary>Step 13: delete the ovnkube-control-plane pods and wait until they are back.</summary>
    public async Task RestartOvnControlPlaneAsync()
    {
        var before = (await OvnPodsAsync("labelSelector=app%3Dovnkube-control-plane")).Select(p => (string)p["metadata"]!["name"]!).ToList();
        await lab.MustApiAsync("DELETE", $"{Ovn}?labelSelector=app%3Dovnkube-control-plane");
        await lab.WaitUntilAsync("ovnkube-control-plane pods redeployed", async () =>
        {
            var pods = await OvnPodsAsync("labelSelector=app%3Dovnkube-control-plane");
            return pods.Count == 2 && pods.All(Running) && pods.All(p => !before.Contains((string)p["metadata"]!["name"]!));
        });
    }

    /// <summary>Step 14: on one node, delete the OVN databases, restart OVS and the node's ovnkube-node pod.</summary>
    public async Task RestartOvnNodeAsync(string node)
    {
        await lab.MustAsync(node, "sudo rm -f /var/lib/ovn-ic/etc/*.db");
        await lab.MustAsync(node, "sudo systemctl restart ovs-vswitchd ovsdb-server");
        var selector = $"labelSelector=app%3Dovnkube-node&fieldSelector=spec.nodeName%3D%3D{node}";
        await lab.MustApiAsync("DELETE", $"{Ovn}?{selector}");
        await lab.WaitUntilAsync($"ovnkube-node on {node} running again", async () => (await OvnPodsAsync(selector)) is [var pod] && Running(pod));
    }

    /// <summary>Step 15: delete the machine of a (lost) control-plane host and wait for its replacement to run.</summary>
    public async Task RecreateMachineAsync(string host)
    {
        var machines = (await lab.MustApiAsync("GET", Machines))["items"]!.AsArray().OfType<JsonObject>().ToList();
        var machine = machines.Single(m => (string?)m["status"]?["nodeRef"]?["name"] == host);
        var name = (string)machine["metadata"]!["name"]!;
        await lab.MustApiAsync("DELETE", $"{Machines}/{name}");
        await lab.WaitUntilAsync($"a new machine for {host} running", async () =>
        {
            var now = (await lab.MustApiAsync("GET", Machines))["items"]!.AsArray().OfType<JsonObject>().ToList();
            return now.All(m => (string?)m["metadata"]!["name"] != name)
                   && now.Any(m => (string?)m["status"]?["nodeRef"]?["name"] == host && (string?)m["status"]?["phase"] == "Running");
        });
    }

    private const string EtcdOperator = "/apis/operator.openshift.io/v1/etcds/cluster";

    public Task QuorumGuardOffAsync() =>
        lab.MergePatchAsync(EtcdOperator, """{"spec": {"unsupportedConfigOverrides": {"useUnsupportedUnsafeNonHANonProductionUnstableEtcd": true}}}""");

    public Task QuorumGuardOnAsync() => lab.MergePatchAsync(EtcdOperator, """{"spec": {"unsupportedConfigOverrides": null}}""");

    public Task ForceRedeploymentAsync(string resource, string reason) =>
        lab.MergePatchAsync($"/apis/operator.openshift.io/v1/{resource}/cluster",
            new JsonObject { ["spec"] = new JsonObject { ["forceRedeploymentReason"] = reason } }.ToJsonString());

    /// <summary>Steps 21/22: NodeInstallerProgressing's reason and message.</summary>
    public async Task<(string Reason, string Message)> NodeInstallerProgressingAsync(string resource)
    {
        var list = await lab.MustApiAsync("GET", $"/apis/operator.openshift.io/v1/{resource}");
        var condition = list["items"]![0]!["status"]!["conditions"]!.AsArray().OfType<JsonObject>().Single(c => (string?)c["type"] == "NodeInstallerProgressing");
        return ((string)condition["reason"]!, (string)condition["message"]!);
    }

    public Task WaitForLatestRevisionAsync(string resource) =>
        lab.WaitUntilAsync($"{resource}: AllNodesAtLatestRevision", async () => (await NodeInstallerProgressingAsync(resource)).Reason == "AllNodesAtLatestRevision");

    /// <summary>Step 23: `oc adm wait-for-stable-cluster`: every ClusterOperator Available, not Progressing, not Degraded.</summary>
    public Task WaitForStableClusterAsync() => lab.WaitUntilAsync("stable cluster operators", async () =>
    {
        var operators = (await lab.MustApiAsync("GET", "/apis/config.openshift.io/v1/clusteroperators"))["items"]!.AsArray().OfType<JsonObject>();
        return operators.All(co =>
        {
            var conditions = co["status"]!["conditions"]!.AsArray().OfType<JsonObject>().ToDictionary(c => (string)c["type"]!, c => (string?)c["status"]);
            return conditions.GetValueOrDefault("Available") == "True" && conditions.GetValueOrDefault("Progressing") == "False" && conditions.GetValueOrDefault("Degraded") == "False";
        });
    });

    /// <summary>Steps 16 to 24 after the machines are back: etcd and the control plane get new revisions everywhere.</summary>
    public async Task RedeployControlPlaneAsync()
    {
        await QuorumGuardOffAsync();
        await ForceRedeploymentAsync("etcds", "recovery-2024-09-01 10:00:00.000000000+00:00");
        await QuorumGuardOnAsync();
        var etcd = await lab.MustApiAsync("GET", EtcdOperator);
        Assert.Null(etcd["spec"]!["unsupportedConfigOverrides"]);
        await WaitForLatestRevisionAsync("etcds");
        foreach (var resource in new[] { "kubeapiservers", "kubecontrollermanagers", "kubeschedulers" })
        {
            await ForceRedeploymentAsync(resource, "recovery-2024-09-01 10:10:00.000000000+00:00");
            await WaitForLatestRevisionAsync(resource);
        }
        await WaitForStableClusterAsync();
        var pods = await EtcdPodsAsync();
        Assert.Equal(3, pods.Count(p => (string?)p["status"]?["phase"] == "Running"));
    }
}
