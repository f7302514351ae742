using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Clusters.Inventory;

/// <summary>What the API said about a healthy cluster, and what it could not say (each gap in words).</summary>
public sealed record CapturedInventory(
    IReadOnlyList<HostInfo> Hosts,
    IReadOnlyDictionary<string, string> Facts,
    string Version,
    IReadOnlyList<string> Gaps);

/// <summary>
/// Reads, while the cluster is healthy, what the wizards need when it is not: nodes with roles and internal IPs,
/// etcd members, platform and install type, network type, proxy, keepalived (on-premise platforms keep the API VIP
/// with keepalived), control-plane topology and the cluster version. Works on any <see cref="IKubernetesApi"/>.
/// </summary>
public static class InventoryCapture
{
    private static readonly string[] OnPremisePlatforms = ["BareMetal", "OpenStack", "VSphere", "Ovirt", "Nutanix"];

    public static async Task<CapturedInventory> CaptureAsync(IKubernetesApi api, CancellationToken cancellationToken)
    {
        var facts = new Dictionary<string, string>();
        var gaps = new List<string>();
        async Task<JsonNode?> Get(string path, string what)
        {
            var response = await api.SendAsync(new ApiRequest("GET", path), cancellationToken);
            if (response.IsSuccess) return JsonNode.Parse(response.Body);
            gaps.Add($"{what}: the API answered {response.Status} for {path}.");
            return null;
        }

        var hosts = new List<HostInfo>();
        if (await Get("/api/v1/nodes", "nodes") is { } nodes)
            foreach (var node in nodes["items"]?.AsArray() ?? [])
                if (node is not null) hosts.Add(Host(node));
        if (hosts.Count == 0) gaps.Add("nodes: none listed; enter the hosts by hand.");

        if (await Get("/apis/config.openshift.io/v1/infrastructures/cluster", "platform") is { } infra)
        {
            var platform = infra["status"]?["platformStatus"]?["type"]?.GetValue<string>() ?? infra["status"]?["platform"]?.GetValue<string>() ?? "";
            if (platform.Length > 0) facts["platformType"] = platform;
            facts["keepalived"] = (OnPremisePlatforms.Contains(platform) ? "true" : "false");
            if (infra["status"]?["controlPlaneTopology"]?.GetValue<string>() is { } topology) facts["controlPlaneTopology"] = topology;
        }
        if (await Get("/apis/machine.openshift.io/v1beta1/namespaces/openshift-machine-api/machines", "machines") is { } machines)
            facts["platform"] = (machines["items"]?.AsArray().Count ?? 0) > 0 ? "IPI" : "UPI"; // machines exist when the installer made them
        if (await Get("/apis/config.openshift.io/v1/networks/cluster", "network type") is { } network &&
            (network["status"]?["networkType"] ?? network["spec"]?["networkType"])?.GetValue<string>() is { } networkType)
            facts["networkType"] = networkType;
        if (await Get("/apis/config.openshift.io/v1/proxies/cluster", "proxy") is { } proxy)
        {
            var spec = proxy["spec"];
            facts["proxy"] = new[] { "httpProxy", "httpsProxy" }.Any(k => spec?[k]?.GetValue<string>() is { Length: > 0 }) ? "true" : "false";
        }
        var version = "";
        if (await Get("/apis/config.openshift.io/v1/clusterversions/version", "cluster version") is { } cv)
            version = cv["status"]?["desired"]?["version"]?.GetValue<string>() ?? "";
        if (await Get("/api/v1/namespaces/openshift-etcd/pods?labelSelector=app%3Detcd", "etcd members") is { } pods)
        {
            var members = (pods["items"]?.AsArray() ?? []).Select(p => p?["spec"]?["nodeName"]?.GetValue<string>()).OfType<string>().Order().ToList();
            if (members.Count > 0) facts["etcdMembers"] = string.Join(",", members);
        }
        return new CapturedInventory(hosts, facts, version, gaps);
    }

    private static HostInfo Host(JsonNode node)
    {
        var name = node["metadata"]?["name"]?.GetValue<string>() ?? "?";
        var labels = node["metadata"]?["labels"]?.AsObject();
        var roles = new List<string>();
        if (labels?.ContainsKey("node-role.kubernetes.io/control-plane") == true || labels?.ContainsKey("node-role.kubernetes.io/master") == true)
            roles.Add(HostRoles.ControlPlane);
        if (labels?.ContainsKey("node-role.kubernetes.io/worker") == true) roles.Add(HostRoles.Worker);
        var address = (node["status"]?["addresses"]?.AsArray() ?? [])
            .FirstOrDefault(a => a?["type"]?.GetValue<string>() == "InternalIP")?["address"]?.GetValue<string>() ?? name;
        return new HostInfo(name, address, roles);
    }
}
