using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Api;

/// <summary>
/// The objects a healthy lab cluster starts with: namespaces, one Node per host, the four static-pod
/// operators settled at revision 7, the ClusterVersion, and two pending CSRs like those a recovery leaves behind.
/// </summary>
public static class LabApiSeed
{
    public const int InitialRevision = 7;

    private static readonly string[] Namespaces =
    [
        "default", "kube-system", "openshift-config", "openshift-etcd", "openshift-kube-apiserver",
        "openshift-kube-controller-manager", "openshift-kube-scheduler", "openshift-machine-config-operator",
        "openshift-machine-api",
    ];

    public static void Populate(LabKubernetesApi api, ClusterInfo cluster)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(cluster);
        var now = Conditions.Timestamp(api.Clock.UtcNow);

        foreach (var ns in Namespaces)
            api.Put($"/api/v1/namespaces/{ns}", new JsonObject { ["spec"] = new JsonObject(), ["status"] = new JsonObject { ["phase"] = "Active" } });

        foreach (var host in cluster.Hosts) api.Put($"/api/v1/nodes/{host.Name}", Node(host, cluster.Version, now));

        var controlPlane = cluster.ControlPlaneHosts.Select(h => h.Name).ToList();
        foreach (var resource in StaticPodRolloutController.Resources)
            api.Put($"/apis/{StaticPodRolloutController.Group}/v1/{resource}/cluster", StaticPodOperator(controlPlane, now));

        api.Put("/apis/config.openshift.io/v1/clusterversions/version", ClusterVersion(cluster.Version, now));

        api.Put("/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-8vnps", Csr(
            "kubernetes.io/kube-apiserver-client-kubelet",
            "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper",
            ["system:serviceaccounts", "system:serviceaccounts:openshift-machine-config-operator", "system:authenticated"],
            ["digital signature", "client auth"]));
        var servingNode = controlPlane.Count > 1 ? controlPlane[1] : controlPlane.FirstOrDefault() ?? "master-1";
        api.Put("/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-2xqtz", Csr(
            "kubernetes.io/kubelet-serving",
            $"system:node:{servingNode}",
            ["system:nodes", "system:authenticated"],
            ["digital signature", "server auth"]));
    }

    private static JsonObject Node(HostInfo host, string openshiftVersion, string now)
    {
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = host.Name,
            ["kubernetes.io/os"] = "linux",
            ["node.openshift.io/os_id"] = "rhcos",
        };
        var taints = new JsonArray();
        if (host.IsControlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
            labels["node-role.kubernetes.io/master"] = "";
            taints.Add(new JsonObject { ["key"] = "node-role.kubernetes.io/master", ["effect"] = "NoSchedule" });
        }
        if (host.Roles.Contains(HostRoles.Worker)) labels["node-role.kubernetes.io/worker"] = "";

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = labels },
            ["spec"] = new JsonObject { ["taints"] = taints },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = host.Address },
                    new JsonObject { ["type"] = "Hostname", ["address"] = host.Name }),
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "KubeletReady",
                    ["message"] = "kubelet is posting ready status",
                    ["lastHeartbeatTime"] = now,
                    ["lastTransitionTime"] = now,
                }),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = LabKubernetesApi.KubernetesGitVersion,
                    ["osImage"] = $"Red Hat Enterprise Linux CoreOS {openshiftVersion} (Plow)",
                    ["containerRuntimeVersion"] = "cri-o://1.29.8",
                    ["architecture"] = "amd64",
                    ["operatingSystem"] = "linux",
                },
            },
        };
    }

    private static JsonObject StaticPodOperator(IEnumerable<string> nodes, string now)
    {
        var nodeStatuses = new JsonArray(nodes
            .Select(n => (JsonNode)new JsonObject { ["nodeName"] = n, ["currentRevision"] = InitialRevision })
            .ToArray());
        return new JsonObject
        {
            ["spec"] = new JsonObject { ["managementState"] = "Managed", ["forceRedeploymentReason"] = "" },
            ["status"] = new JsonObject
            {
                ["latestAvailableRevision"] = InitialRevision,
                ["nodeStatuses"] = nodeStatuses,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = StaticPodRolloutController.ConditionType,
                    ["status"] = "False",
                    ["reason"] = "AllNodesAtLatestRevision",
                    ["message"] = StaticPodRolloutController.Message(nodeStatuses.Select(_ => (long)InitialRevision).ToList(), InitialRevision),
                    ["lastTransitionTime"] = now,
                }),
            },
        };
    }

    private static JsonObject ClusterVersion(string version, string now) => new()
    {
        ["spec"] = new JsonObject { ["channel"] = "stable-4.16", ["clusterID"] = "5b2c8d0e-1f9a-4c3e-9d7b-1a2b3c4d5e6f" },
        ["status"] = new JsonObject
        {
            ["desired"] = new JsonObject { ["version"] = version },
            ["history"] = new JsonArray(new JsonObject { ["state"] = "Completed", ["version"] = version, ["completionTime"] = now }),
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = "True",
                ["message"] = $"Done applying {version}",
                ["lastTransitionTime"] = now,
            }),
        },
    };

    private static JsonObject Csr(string signer, string user, string[] groups, string[] usages) => new()
    {
        ["spec"] = new JsonObject
        {
            ["signerName"] = signer,
            ["username"] = user,
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode?)g).ToArray()),
            ["usages"] = new JsonArray(usages.Select(u => (JsonNode?)u).ToArray()),
            ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(
                $"-----BEGIN CERTIFICATE REQUEST-----\nlab request for {user}\n-----END CERTIFICATE REQUEST-----\n")),
        },
        ["status"] = new JsonObject(),
    };
}
