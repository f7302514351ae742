using RecoveryConsole.Lab.Legacy.Ocp42;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>The commands and API calls of 003_28eb1c421f859d40.txt (OCP 4.2/4.3 disaster recovery) against the lab.</summary>
internal sealed class Ocp42Steps(LegacyHarness lab)
{
    public const string Csrs = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
    public static readonly string Kao = Ocp42Release.Components["cluster-kube-apiserver-operator"];
    public static readonly string PodmanOperator = "sudo podman run -it --network=host -v /etc/kubernetes/:/etc/kubernetes/:Z --entrypoint=/usr/bin/cluster-kube-apiserver-operator " + Kao;

    public static string Member(string host) => $"etcd-member-{host}";
    public static string Peer(int index) => $"https://etcd-{index}.lab-ocp42.lab.example:2380";

    public Task<List<string>> RestoreAsync(string host, string initialCluster, string directory = "/home/core/backup") =>
        lab.MustAsync(host, $"sudo -E /usr/local/bin/etcd-snapshot-restore.sh {directory} {initialCluster}");

    /// <summary>`oc get csr` then `oc adm certificate approve` for every pending one, until none is left; returns what was approved.</summary>
    public async Task<List<string>> ApproveCsrsUntilNonePendingAsync(int rounds = 6)
    {
        var approved = new List<string>();
        for (var i = 0; i < rounds; i++)
        {
            var list = await lab.MustApiAsync("GET", Csrs);
            var pending = list["items"]!.AsArray().Select(c => (JsonObject)c!).Where(c => c["status"]?["conditions"] is not JsonArray { Count: > 0 }).ToList();
            if (pending.Count == 0) return approved;
            foreach (var csr in pending)
            {
                csr["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "Approved", ["status"] = "True", ["reason"] = "KubectlApprove", ["message"] = "This CSR was approved by kubectl certificate approve.",
                    }),
                };
                await lab.MustApiAsync("PUT", $"{Csrs}/{csr["metadata"]!["name"]}/approval", csr.ToJsonString(), "application/json");
                approved.Add($"{csr["spec"]!["signerName"]} {csr["spec"]!["username"]}");
            }
        }
        return approved;
    }

    public async Task<List<string>> NotReadyNodesAsync()
    {
        var nodes = await lab.MustApiAsync("GET", "/api/v1/nodes");
        return nodes["items"]!.AsArray()
            .Where(n => n!["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True") != true)
            .Select(n => (string)n!["metadata"]!["name"]!).ToList();
    }

    /// <summary>`oc create -f assets/manifests/kube-etcd-cert-signer.yaml`: the pod the tokenized manifest describes.</summary>
    public async Task CreateSignerPodAsync(string host)
    {
        var manifest = lab.Read(host, "/home/core/assets/manifests/kube-etcd-cert-signer.yaml");
        var node = manifest.Split('\n').Single(l => l.TrimStart().StartsWith("nodeName:", StringComparison.Ordinal)).Split(':')[1].Trim();
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "etcd-signer", ["namespace"] = "openshift-config" },
            ["spec"] = new JsonObject { ["nodeName"] = node, ["hostNetwork"] = true, ["containers"] = new JsonArray(new JsonObject { ["name"] = "kube-etcd-signer-server" }) },
        };
        await lab.MustApiAsync("POST", "/api/v1/namespaces/openshift-config/pods", pod.ToJsonString(), "application/json");
    }

    public Task<List<string>> RecoverMemberAsync(string host, string signerIp) =>
        lab.MustAsync(host, $"sudo -E SETUP_ETCD_ENVIRONMENT={Ocp42Release.Components["machine-config-operator"]} KUBE_CLIENT_AGENT={Ocp42Release.Components["kube-client-agent"]} /usr/local/bin/etcd-member-recover.sh {signerIp} {Member(host)}");

    public async Task RecoverKubeletAsync(string host)
    {
        await lab.MustAsync(host, "sudo systemctl stop kubelet");
        await lab.MustAsync(host, "sudo rm -rf /var/lib/kubelet/pki /var/lib/kubelet/kubeconfig");
        await lab.MustAsync(host, "sudo systemctl start kubelet");
    }
}
