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
            if (response.IsSuccess)
            {
                try { return JsonNode.Parse(response.Body); }
                catch (System.Text.Json.JsonException) { gaps.Add($"{what}: not captured; the API answered {path} with something that is not JSON."); return null; }
            }
            gaps.Add($"{what}: not captured; the API answered {response.Status} for {path}.");
            return null;
        }

        var hosts = new List<HostInfo>();
        if (await Get("/api/v1/nodes", "nodes (hosts, roles, internal IPs)") is { } nodes)
            foreach (var node in nodes["items"]?.AsArray() ?? [])
            {
                if (node is null) continue;
                var host = Host(node, out var hasAddress);
                hosts.Add(host);
                if (!hasAddress) gaps.Add($"nodes: {host.Name} reports no InternalIP; its address is taken to be its name, check it.");
                if (host.Roles.Count == 0) gaps.Add($"nodes: {host.Name} is neither control-plane nor worker (no node-role label); give it a role by hand.");
            }
        if (hosts.Count == 0) gaps.Add("nodes: none listed; enter the hosts by hand.");

        if (await Get("/apis/config.openshift.io/v1/infrastructures/cluster", "platformType, keepalived and controlPlaneTopology (the Infrastructure object)") is { } infra)
        {
            var platform = infra["status"]?["platformStatus"]?["type"].AsText() ?? infra["status"]?["platform"].AsText() ?? "";
            if (platform.Length > 0) facts["platformType"] = platform;
            facts["keepalived"] = (OnPremisePlatforms.Contains(platform) ? "true" : "false");
            if (infra["status"]?["controlPlaneTopology"].AsText() is { } topology) facts["controlPlaneTopology"] = topology;
        }
        if (await Get("/apis/machine.openshift.io/v1beta1/namespaces/openshift-machine-api/machines", "platform (IPI/UPI) and machines") is { } machines)
        {
            var items = (machines["items"]?.AsArray() ?? []).OfType<JsonNode>().ToList();
            facts["platform"] = items.Count > 0 ? "IPI" : "UPI"; // machines exist when the installer made them
            if (items.Count > 0)
            {
                facts["machines"] = string.Join(",", items.Select(m => m["metadata"]?["name"].AsText()).OfType<string>().Order(StringComparer.Ordinal));
                var controlPlane = items
                    .Where(m => m["metadata"]?["labels"]?["machine.openshift.io/cluster-api-machine-role"].AsText() == "master")
                    .Select(m => m["metadata"]?["name"].AsText()).OfType<string>().Order(StringComparer.Ordinal).ToList();
                if (controlPlane.Count > 0) facts["controlPlaneMachines"] = string.Join(",", controlPlane);
            }
        }
        if (await Get("/apis/config.openshift.io/v1/networks/cluster", "networkType (the Network object)") is { } network &&
            (network["status"]?["networkType"] ?? network["spec"]?["networkType"]).AsText() is { } networkType)
            facts["networkType"] = networkType;
        if (await Get("/apis/config.openshift.io/v1/proxies/cluster", "proxy (the Proxy object)") is { } proxy)
        {
            var spec = proxy["spec"];
            facts["proxy"] = new[] { "httpProxy", "httpsProxy" }.Any(k => spec?[k].AsText() is { Length: > 0 }) ? "true" : "false";
        }
        var version = "";
        if (await Get("/apis/config.openshift.io/v1/clusterversions/version", "version (the ClusterVersion object)") is { } cv)
        {
            version = cv["status"]?["desired"]?["version"].AsText() ?? "";
            if (version.Length == 0) gaps.Add("cluster version: the ClusterVersion has no desired version; enter the version by hand.");
        }
        if (await Get("/api/v1/namespaces/openshift-etcd/pods?labelSelector=app%3Detcd", "etcdMembers and etcdPeerURLs (the etcd pods)") is { } pods)
        {
            // etcd runs on the host network: its member name is the node name, its peer URL the node's address on port 2380.
            var members = new SortedDictionary<string, string?>(StringComparer.Ordinal);
            foreach (var pod in (pods["items"]?.AsArray() ?? []).OfType<JsonNode>())
            {
                if (pod["spec"]?["nodeName"].AsText() is not { } node) continue;
                var ip = pod["status"]?["hostIP"].AsText() ?? pod["status"]?["podIP"].AsText()
                    ?? hosts.FirstOrDefault(h => h.Name == node && h.Address != h.Name)?.Address;
                members[node] = ip;
            }
            if (members.Count > 0)
            {
                facts["etcdMembers"] = string.Join(",", members.Keys);
                facts["etcdPeerURLs"] = string.Join(",", members.Where(m => m.Value is not null).Select(m => $"{m.Key}=https://{Bracketed(m.Value!)}:2380"));
                foreach (var missing in members.Where(m => m.Value is null)) gaps.Add($"etcd members: no address known for {missing.Key}'s peer URL.");
            }
            else gaps.Add("etcd members: no etcd pod found in openshift-etcd (label app=etcd).");
        }
        return new CapturedInventory(hosts, facts, version, gaps);
    }

    private static string Bracketed(string ip) => ip.Contains(':') ? $"[{ip}]" : ip;

    private static HostInfo Host(JsonNode node, out bool hasAddress)
    {
        var name = node["metadata"]?["name"].AsText() ?? "?";
        var labels = node["metadata"]?["labels"]?.AsObject();
        var roles = new List<string>();
        if (labels?.ContainsKey("node-role.kubernetes.io/control-plane") == true || labels?.ContainsKey("node-role.kubernetes.io/master") == true)
            roles.Add(HostRoles.ControlPlane);
        if (labels?.ContainsKey("node-role.kubernetes.io/worker") == true) roles.Add(HostRoles.Worker);
        var address = (node["status"]?["addresses"]?.AsArray() ?? [])
            .FirstOrDefault(a => a?["type"].AsText() == "InternalIP")?["address"].AsText();
        hasAddress = address is not null;
        return new HostInfo(name, address ?? name, roles);
    }
}

internal static class JsonText
{
    /// <summary>The node's string value; null when it is missing or not a string (an unexpected shape is a gap, not a crash).</summary>
    public static string? AsText(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
