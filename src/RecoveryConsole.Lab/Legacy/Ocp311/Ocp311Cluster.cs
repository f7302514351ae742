using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp311;

/// <summary>One member of the 3.11 etcd cluster (etcd runs as a static pod on masters, as a service on etcd hosts).</summary>
public sealed record Ocp311EtcdMember(string Id, string Name, string Host, string Address)
{
    public string PeerUrl => $"https://{Address}:2380";
    public string ClientUrl => $"https://{Address}:2379";
}

/// <summary>
/// A simulated OpenShift 3.11 cluster: master hosts with /etc/origin and static pods in /etc/origin/node/pods, etcd
/// members (co-located and on a separate host) configured by /etc/etcd/etcd.conf, a haproxy load balancer whose
/// running backends are read from /etc/haproxy/haproxy.cfg when it restarts, flanneld whose running etcd endpoints are
/// read from /etc/sysconfig/flanneld when it restarts, the Ansible inventory, and the kubernetes service endpoints.
/// </summary>
public sealed partial class Ocp311Cluster : ILabClusterModel
{
    public const string ModelKind = "ocp311";
    public const string Domain = "example.com";
    public const string ClusterIdHex = "1f8c4e2bb9d0c0a5";
    public const string PodsDirectory = "/etc/origin/node/pods";
    public const string EtcdConf = "/etc/etcd/etcd.conf";
    public const string HaproxyCfg = "/etc/haproxy/haproxy.cfg";
    public const string Flanneld = "/etc/sysconfig/flanneld";
    public const string Inventory = "/etc/ansible/hosts";
    public const string EndpointsPath = "/api/v1/namespaces/default/endpoints/kubernetes";
    public const string ServicePath = "/api/v1/namespaces/default/services/kubernetes";

    private static readonly string[] SeedIds = ["2a529ba1840722c0", "5ee217d190013a4c", "ed4f0efd277d7599", "8372784203e11288", "91bc3c398fb3c146"];

    private readonly List<Ocp311EtcdMember> _members = [];
    private readonly Dictionary<string, List<string>> _haproxyBackends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _flannelEndpoints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stoppedEtcd = new(StringComparer.Ordinal);
    private readonly List<string> _wronglyRemoved = [];
    private bool _attached = true;

    private Ocp311Cluster(LabCluster cluster)
    {
        Cluster = cluster;
    }

    public string Kind => ModelKind;
    public LabCluster Cluster { get; }
    internal object Sync => Cluster.Api.SyncRoot;

    /// <summary>The master that the scenario says must be retired (null when none).</summary>
    public string? RetiringMaster { get; private set; }

    public IReadOnlyList<Ocp311EtcdMember> Members
    {
        get { lock (Sync) return _members.ToList(); }
    }

    public IEnumerable<LabHost> Masters => Cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.ControlPlane)).OrderBy(h => h.Name, StringComparer.Ordinal);
    /// <summary>The etcd hosts in the order the cluster declares them (the order of ETCD_INITIAL_CLUSTER).</summary>
    public IEnumerable<LabHost> EtcdHosts => Cluster.Info.Hosts.Where(h => h.Roles.Contains(LegacyClusterCatalog.EtcdRole)).Select(h => Cluster.Host(h.Name));
    public IEnumerable<LabHost> FlannelHosts => Cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.ControlPlane) || h.Roles.Contains(HostRoles.Worker)).OrderBy(h => h.Name, StringComparer.Ordinal);
    public LabHost? LoadBalancer => Cluster.Hosts.FirstOrDefault(h => h.Roles.Contains(LegacyClusterCatalog.LoadBalancerRole));

    public static bool Accepts(LabCluster cluster) =>
        cluster.Info.Product == "openshift" && cluster.Info.Version.StartsWith("3.11", StringComparison.Ordinal) &&
        cluster.Info.Hosts.Any(h => h.Roles.Contains(LegacyClusterCatalog.EtcdRole)); // the layout names its etcd hosts

    public static Ocp311Cluster Attach(LabCluster cluster, LabOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var model = new Ocp311Cluster(cluster);
        lock (model.Sync)
        {
            model.Seed();
            Ocp311Commands.Register(cluster.Commands, model);
            model.SyncApi();
            model.WatchApiStaticPods();
        }
        return model;
    }

    public void Detach()
    {
        lock (Sync)
        {
            _attached = false;
            StopWatchingApiStaticPods();
        }
    }

    public static string Fqdn(string host) => $"{host}.{Domain}";

    public Ocp311EtcdMember? MemberOf(string host)
    {
        lock (Sync) return _members.FirstOrDefault(m => m.Host == host);
    }

    /// <summary>True when the etcd process of a member answers: its host is up, it was not stopped, it is still a member.</summary>
    public bool MemberHealthy(Ocp311EtcdMember member)
    {
        lock (Sync)
        {
            var host = Cluster.Host(member.Host);
            if (!host.Reachable || _stoppedEtcd.Contains(member.Host)) return false;
            if (host.Roles.Contains(HostRoles.ControlPlane)) return host.FileSystem.FileExists($"{PodsDirectory}/etcd.yaml");
            return true;
        }
    }

    public bool HasQuorum
    {
        get
        {
            lock (Sync) return _members.Count(MemberHealthy) * 2 > _members.Count;
        }
    }

    /// <summary>Masters whose API static pod runs (what the kubernetes service endpoints list).</summary>
    public IReadOnlyList<LabHost> ServingMasters
    {
        get
        {
            lock (Sync)
                return Masters.Where(h => h.Reachable && h.FileSystem.FileExists($"{PodsDirectory}/apiserver.yaml")).ToList();
        }
    }

    public IReadOnlyList<string> RunningHaproxyBackends(string host)
    {
        lock (Sync) return _haproxyBackends.GetValueOrDefault(host)?.ToList() ?? [];
    }

    public IReadOnlyList<string> RunningFlannelEndpoints(string host)
    {
        lock (Sync) return _flannelEndpoints.GetValueOrDefault(host)?.ToList() ?? [];
    }

    // ---- faults ----

    /// <summary>The host dies: unreachable, its processes gone.</summary>
    public void FailHost(string host)
    {
        lock (Sync)
        {
            Cluster.Host(host).Reachable = false;
            SyncApi();
        }
    }

    /// <summary>Marks a master as the one the team must take out of service (hardware, replacement ...).</summary>
    public void MarkForRetirement(string host)
    {
        lock (Sync)
        {
            var labHost = Cluster.Host(host);
            if (!labHost.Roles.Contains(HostRoles.ControlPlane)) throw new ArgumentException($"{host} is not a master host", nameof(host));
            RetiringMaster = host;
        }
    }

    // ---- state changes from commands ----

    internal (bool Ok, string Message) RemoveMember(string id)
    {
        lock (Sync)
        {
            var member = _members.FirstOrDefault(m => m.Id == id);
            if (member is null) return (false, $"member {id} not found");
            if (!HasQuorum) return (false, "etcdserver: request timed out");
            _members.Remove(member);
            if (MemberHealthyIgnoringMembership(member)) _wronglyRemoved.Add(member.Host);
            SyncApi();
            return (true, member.Name);
        }
    }

    private bool MemberHealthyIgnoringMembership(Ocp311EtcdMember member)
    {
        var host = Cluster.Host(member.Host);
        return host.Reachable && !_stoppedEtcd.Contains(member.Host) &&
               (!host.Roles.Contains(HostRoles.ControlPlane) || host.FileSystem.FileExists($"{PodsDirectory}/etcd.yaml"));
    }

    /// <summary>systemctl restart haproxy: reads the backend servers of haproxy.cfg; false (and haproxy down) when there are none.</summary>
    internal bool RestartHaproxy(LabHost host)
    {
        lock (Sync)
        {
            if (!host.FileSystem.TryReadFile(HaproxyCfg, out var cfg)) return false;
            var servers = ParseHaproxyServers(cfg);
            if (servers is null) return false;
            _haproxyBackends[host.Name] = servers;
            return true;
        }
    }

    internal bool RestartFlanneld(LabHost host)
    {
        lock (Sync)
        {
            if (!host.FileSystem.TryReadFile(Flanneld, out var conf)) return false;
            var endpoints = ReadVariable(conf, "FLANNEL_ETCD_ENDPOINTS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (endpoints is not { Count: > 0 }) return false;
            _flannelEndpoints[host.Name] = endpoints;
            return true;
        }
    }

    internal void SetEtcdStopped(string host, bool stopped)
    {
        lock (Sync)
        {
            if (stopped) _stoppedEtcd.Add(host);
            else _stoppedEtcd.Remove(host);
            SyncApi();
        }
    }

    /// <summary>The API objects that follow the hosts' state: the kubernetes service endpoints (masters that serve).</summary>
    internal void SyncApi()
    {
        lock (Sync)
        {
            if (!_attached) return;
            Cluster.Api.Available = ServingMasters.Count > 0 && HasQuorum;
            var addresses = new JsonArray(ServingMasters.Select(h => (JsonNode)new JsonObject { ["ip"] = h.Address }).ToArray());
            Cluster.Api.Put(EndpointsPath, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Endpoints",
                ["metadata"] = new JsonObject { ["name"] = "kubernetes", ["namespace"] = "default" },
                ["subsets"] = new JsonArray(new JsonObject
                {
                    ["addresses"] = addresses,
                    ["ports"] = new JsonArray(
                        new JsonObject { ["name"] = "https", ["port"] = 8443, ["protocol"] = "TCP" },
                        new JsonObject { ["name"] = "dns", ["port"] = 8053, ["protocol"] = "UDP" },
                        new JsonObject { ["name"] = "dns-tcp", ["port"] = 8053, ["protocol"] = "TCP" }),
                }),
            });
        }
    }

    // ---- parsing ----

    internal static string? ReadVariable(string text, string name)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith(name + "=", StringComparison.Ordinal)) return line[(name.Length + 1)..].Trim('"');
        }
        return null;
    }

    /// <summary>The servers of backend mgmt8443 as "name address:port"; null when the file has no such backend.</summary>
    internal static List<string>? ParseHaproxyServers(string cfg)
    {
        List<string>? servers = null;
        var inBackend = false;
        foreach (var raw in cfg.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("backend ", StringComparison.Ordinal) || line.StartsWith("frontend ", StringComparison.Ordinal) ||
                line.StartsWith("listen ", StringComparison.Ordinal) || line.StartsWith("global", StringComparison.Ordinal) || line.StartsWith("defaults", StringComparison.Ordinal))
            {
                inBackend = line == "backend mgmt8443";
                if (inBackend) servers ??= [];
                continue;
            }
            if (!inBackend || !line.StartsWith("server ", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3) servers!.Add(parts[1] + " " + parts[2]);
        }
        return servers;
    }

    /// <summary>The hosts of one inventory group ([masters], [nodes], [etcd]); the first word of each line.</summary>
    internal static List<string> InventoryGroup(string inventory, string group)
    {
        var result = new List<string>();
        var inGroup = false;
        foreach (var raw in inventory.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inGroup = line == $"[{group}]";
                continue;
            }
            if (inGroup && line.Length > 0 && !line.StartsWith('#')) result.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        }
        return result;
    }

    // ---- health ----

    public LabHealthReport Diagnose()
    {
        lock (Sync)
        {
            var problems = new List<LabProblem>();
            var removedNames = RemovedEtcdNames();

            foreach (var member in _members.Where(m => !MemberHealthy(m)))
                problems.Add(new LabProblem("etcd-member-unreachable", member.Host,
                    $"etcd member {member.Id} ({member.Name}) is unreachable: [{member.ClientUrl}] are all unreachable"));
            if (!HasQuorum)
                problems.Add(new LabProblem("etcd-quorum-lost", "etcd", $"{_members.Count(MemberHealthy)} of {_members.Count} members are healthy"));
            foreach (var host in _wronglyRemoved)
                problems.Add(new LabProblem("etcd-healthy-member-removed", host,
                    $"the healthy etcd member on {host} was removed from the cluster; its etcd refuses to start (the member has been permanently removed)"));

            foreach (var host in EtcdHosts.Where(h => h.Reachable && MemberOf(h.Name) is not null))
            {
                if (!host.FileSystem.TryReadFile(EtcdConf, out var conf)) continue;
                var initial = (ReadVariable(conf, "ETCD_INITIAL_CLUSTER") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(e => e.Split('=')[0]).ToList();
                var stale = initial.Where(removedNames.Contains).ToList();
                if (stale.Count > 0)
                    problems.Add(new LabProblem("etcd-initial-cluster-stale", host.Name,
                        $"ETCD_INITIAL_CLUSTER in {EtcdConf} still names {string.Join(", ", stale)}, which is no longer a member"));
                var missing = _members.Select(m => m.Name).Where(n => !initial.Contains(n)).ToList();
                if (missing.Count > 0)
                    problems.Add(new LabProblem("etcd-initial-cluster-incomplete", host.Name,
                        $"ETCD_INITIAL_CLUSTER in {EtcdConf} lacks the member(s) {string.Join(", ", missing)}"));
            }

            var removedClientUrls = RemovedEtcdClientUrls();
            foreach (var host in FlannelHosts.Where(h => h.Reachable))
            {
                var running = RunningFlannelEndpoints(host.Name);
                var stale = running.Where(removedClientUrls.Contains).ToList();
                if (stale.Count > 0)
                    problems.Add(new LabProblem("flanneld-stale-endpoints", host.Name,
                        $"flanneld runs with FLANNEL_ETCD_ENDPOINTS including {string.Join(", ", stale)}, which is no longer an etcd member"));
            }

            if (LoadBalancer is { } lb)
            {
                var backends = RunningHaproxyBackends(lb.Name);
                if (backends.Count == 0)
                    problems.Add(new LabProblem("haproxy-down", lb.Name, "haproxy is not running (no backend mgmt8443 servers)"));
                if (RetiringMaster is { } retiring && backends.Any(b => b.StartsWith(Fqdn(retiring) + " ", StringComparison.Ordinal)))
                    problems.Add(new LabProblem("haproxy-backend-retired-master", lb.Name, $"haproxy still sends API connections to {Fqdn(retiring)}"));
                foreach (var master in Masters.Where(m => m.Name != RetiringMaster && m.Reachable))
                {
                    if (!backends.Contains($"{Fqdn(master.Name)} {master.Address}:8443"))
                        problems.Add(new LabProblem("haproxy-backend-missing", master.Name, $"haproxy backend mgmt8443 has no server for {Fqdn(master.Name)}"));
                }
            }

            if (RetiringMaster is { } r)
            {
                var host = Cluster.Host(r);
                foreach (var pod in new[] { "apiserver", "controller" })
                {
                    if (host.Reachable && host.FileSystem.FileExists($"{PodsDirectory}/{pod}.yaml"))
                        problems.Add(new LabProblem("retired-master-in-service", r, $"the {pod} static pod still runs on the master being retired ({PodsDirectory}/{pod}.yaml)"));
                }
                var endpoints = Cluster.Api.Get(EndpointsPath)?["subsets"]?[0]?["addresses"]?.AsArray().Select(a => (string?)a!["ip"]).ToList() ?? [];
                if (endpoints.Contains(host.Address))
                    problems.Add(new LabProblem("kubernetes-endpoints-stale", "default/kubernetes", $"the kubernetes service still lists {host.Address}:8443"));
            }

            if (Cluster.Hosts.FirstOrDefault(h => h.FileSystem.FileExists(Inventory)) is { } ansible && ansible.FileSystem.TryReadFile(Inventory, out var inventory))
            {
                foreach (var name in InventoryGroup(inventory, "etcd").Where(removedNames.Contains))
                    problems.Add(new LabProblem("inventory-stale", $"{Inventory} [etcd]", $"the inventory still lists {name} in [etcd]"));
                if (RetiringMaster is { } retiring)
                {
                    foreach (var group in new[] { "masters", "nodes" }.Where(g => InventoryGroup(inventory, g).Contains(Fqdn(retiring))))
                        problems.Add(new LabProblem("inventory-stale", $"{Inventory} [{group}]", $"the inventory still lists {Fqdn(retiring)} in [{group}]"));
                }
            }

            if (ServingMasters.Count == 0) problems.Add(new LabProblem("api-unreachable", "api", "no master serves the API"));
            return new LabHealthReport(Cluster.Info.Name, Cluster.Clock.UtcNow, problems);
        }
    }

    private HashSet<string> RemovedEtcdNames() =>
        EtcdHosts.Where(h => MemberOf(h.Name) is null).Select(h => Fqdn(h.Name)).ToHashSet(StringComparer.Ordinal);

    private HashSet<string> RemovedEtcdClientUrls() =>
        EtcdHosts.Where(h => MemberOf(h.Name) is null).SelectMany(h => new[] { $"https://{Fqdn(h.Name)}:2379", $"https://{h.Address}:2379" }).ToHashSet(StringComparer.Ordinal);

    // ---- seed ----

    private void Seed()
    {
        var etcdHosts = EtcdHosts.ToList();
        for (var i = 0; i < etcdHosts.Count; i++)
            _members.Add(new Ocp311EtcdMember(SeedIds[i % SeedIds.Length], Fqdn(etcdHosts[i].Name), etcdHosts[i].Name, etcdHosts[i].Address));
        var initialCluster = string.Join(',', _members.Select(m => $"{m.Name}={m.PeerUrl}"));
        var flannelEndpoints = string.Join(',', _members.Select(m => $"https://{m.Name}:2379"));
        var masters = Masters.ToList();

        foreach (var host in Cluster.Hosts)
        {
            var fs = host.FileSystem;
            // The generic seed is RHCOS-shaped; 3.11 hosts are RHEL 7 entered as root.
            fs.Delete("/etc/kubernetes/manifests");
            fs.Delete("/var/lib/etcd/member");
            fs.WriteFile("/etc/os-release", "NAME=\"Red Hat Enterprise Linux Server\"\nVERSION=\"7.9 (Maipo)\"\nID=\"rhel\"\nVERSION_ID=\"7.9\"\n");
            fs.CreateDirectory("/root");
            fs.WriteFile("/etc/sysconfig/iptables", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n");
            fs.WriteFile("/etc/sysconfig/docker", "OPTIONS=' --selinux-enabled --signature-verification=False'\n");
            fs.WriteFile("/etc/sysconfig/docker-storage", "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2\"\n");
            fs.WriteFile("/etc/sysconfig/docker-network", "DOCKER_NETWORK_OPTIONS=' --mtu=1450'\n");
            fs.WriteFile("/etc/dnsmasq.conf", "conf-dir=/etc/dnsmasq.d\n");
            fs.WriteFile("/etc/pki/ca-trust/source/anchors/openshift-ca.crt", "-----BEGIN CERTIFICATE-----\nMIIC6jCCAdKgAwIBAgIBATANBgkqhkiG9w0BAQsFADAmMSQwIgYDVQQDDBtvcGVuc2hp\n-----END CERTIFICATE-----\n");
            var isMaster = host.Roles.Contains(HostRoles.ControlPlane);
            var isNode = isMaster || host.Roles.Contains(HostRoles.Worker);
            if (isNode)
            {
                fs.WriteFile("/etc/origin/node/node-config.yaml",
                    $"apiVersion: v1\nkind: NodeConfig\nnodeName: {Fqdn(host.Name)}\nmasterKubeConfig: node.kubeconfig\nservingInfo:\n  bindAddress: 0.0.0.0:10250\n");
                fs.WriteFile("/etc/origin/node/node.kubeconfig", $"apiVersion: v1\nclusters:\n- cluster:\n    server: https://lb-0.{Domain}:8443\n  name: lb-0-{Domain.Replace('.', '-')}:8443\n");
                fs.WriteFile("/etc/origin/node/ca.crt", "-----BEGIN CERTIFICATE-----\n(openshift-signer)\n-----END CERTIFICATE-----\n");
                foreach (var f in new[] { "flannel.etcd-client.key", "flannel.etcd-client.csr", "flannel.etcd-client.crt", "flannel.etcd-ca.crt" })
                    fs.WriteFile($"/etc/origin/node/{f}", $"({f})\n");
                fs.WriteFile("/etc/cni/net.d/80-openshift-network.conf", "{\"cniVersion\": \"0.2.0\", \"name\": \"openshift-sdn\", \"type\": \"openshift-sdn\"}\n");
                fs.WriteFile("/etc/sysconfig/atomic-openshift-node", "DEBUG_LOGLEVEL=2\n");
                fs.WriteFile(Flanneld,
                    $"# Flanneld configuration options\nFLANNEL_ETCD_ENDPOINTS={flannelEndpoints}\nFLANNEL_ETCD_PREFIX=/openshift.com/network\nFLANNEL_OPTIONS=\"-etcd-cafile=/etc/origin/node/flannel.etcd-ca.crt -etcd-certfile=/etc/origin/node/flannel.etcd-client.crt -etcd-keyfile=/etc/origin/node/flannel.etcd-client.key\"\n");
                _flannelEndpoints[host.Name] = _members.Select(m => $"https://{m.Name}:2379").ToList();
            }
            if (isMaster)
            {
                fs.WriteFile("/etc/origin/master/master-config.yaml",
                    "apiVersion: v1\nkind: MasterConfig\netcdClientInfo:\n  ca: master.etcd-ca.crt\n  certFile: master.etcd-client.crt\n  keyFile: master.etcd-client.key\n  urls:\n" +
                    string.Concat(_members.Select(m => $"  - {m.ClientUrl}\n")) +
                    $"kubernetesMasterConfig:\n  masterCount: {masters.Count}\nmasterPublicURL: https://lb-0.{Domain}:8443\nservingInfo:\n  bindAddress: 0.0.0.0:8443\n");
                fs.WriteFile("/etc/origin/master/master.env", "DEBUG_LOGLEVEL=2\n");
                fs.WriteFile("/etc/origin/master/ca.crt", "-----BEGIN CERTIFICATE-----\n(openshift-signer)\n-----END CERTIFICATE-----\n");
                fs.WriteFile("/etc/origin/master/ca.key", "(openshift-signer key)\n");
                fs.WriteFile("/etc/origin/master/master.etcd-ca.crt", "(etcd ca)\n");
                fs.WriteFile("/etc/origin/master/master.etcd-client.crt", "(etcd client)\n");
                fs.WriteFile("/etc/origin/master/master.etcd-client.key", "(etcd client key)\n");
                fs.WriteFile("/etc/origin/master/admin.kubeconfig", $"apiVersion: v1\nclusters:\n- cluster:\n    server: https://{host.Address}:8443\n");
                if (host == masters[0])
                {
                    fs.WriteFile("/etc/origin/master/ca.serial.txt", "0B\n");
                    fs.WriteFile("/etc/etcd/ca/ca.crt", "(etcd ca)\n");
                    fs.WriteFile("/etc/etcd/generated_certs/etcd_ca.tgz", "(etcd ca bundle)\n");
                }
                foreach (var pod in new[] { "apiserver", "controller" })
                {
                    fs.WriteFile($"{PodsDirectory}/{pod}.yaml",
                        $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: master-{(pod == "controller" ? "controllers" : "api")}\n  namespace: kube-system\n  labels:\n    openshift.io/component: {(pod == "controller" ? "controllers" : "api")}\n    openshift.io/control-plane: \"true\"\nspec:\n  hostNetwork: true\n  containers:\n" +
                        $"  - name: {pod}\n    image: registry.redhat.io/openshift3/ose-control-plane:v3.11.157\n");
                }
                fs.WriteFile($"{PodsDirectory}/etcd.yaml", EtcdPodManifest(host));
            }
            if (host.Roles.Contains(LegacyClusterCatalog.EtcdRole))
            {
                var member = _members.First(m => m.Host == host.Name);
                fs.WriteFile(EtcdConf,
                    $"ETCD_NAME={member.Name}\nETCD_LISTEN_PEER_URLS={member.PeerUrl}\nETCD_DATA_DIR=/var/lib/etcd/\nETCD_LISTEN_CLIENT_URLS={member.ClientUrl}\n" +
                    $"ETCD_INITIAL_ADVERTISE_PEER_URLS={member.PeerUrl}\nETCD_INITIAL_CLUSTER={initialCluster}\nETCD_INITIAL_CLUSTER_STATE=new\nETCD_INITIAL_CLUSTER_TOKEN=etcd-cluster-1\nETCD_ADVERTISE_CLIENT_URLS={member.ClientUrl}\n" +
                    "ETCD_CA_FILE=/etc/etcd/ca.crt\nETCD_CERT_FILE=/etc/etcd/server.crt\nETCD_KEY_FILE=/etc/etcd/server.key\nETCD_PEER_CA_FILE=/etc/etcd/ca.crt\nETCD_PEER_CERT_FILE=/etc/etcd/peer.crt\nETCD_PEER_KEY_FILE=/etc/etcd/peer.key\n");
                foreach (var f in new[] { "ca.crt", "peer.crt", "peer.key", "server.crt", "server.key" }) fs.WriteFile($"/etc/etcd/{f}", $"({f})\n");
                fs.WriteFile("/var/lib/etcd/member/snap/db", $"etcd-db cluster={ClusterIdHex} member={member.Id}\n");
            }
            SeedBackupFiles(host);
            if (host.Roles.Contains(LegacyClusterCatalog.LoadBalancerRole))
            {
                fs.WriteFile(HaproxyCfg, HaproxyConfig(masters));
                _haproxyBackends[host.Name] = masters.Select(m => $"{Fqdn(m.Name)} {m.Address}:8443").ToList();
            }
        }
        masters[0].FileSystem.WriteFile(Inventory, InventoryText());

        // 3.11 has no pending CSRs after install; the generic 4.x seed left two.
        foreach (var csr in Cluster.Api.ListObjects("/apis/certificates.k8s.io/v1/certificatesigningrequests"))
            Cluster.Api.Remove($"/apis/certificates.k8s.io/v1/certificatesigningrequests/{(string?)csr["metadata"]?["name"]}");
        Cluster.Api.Put(ServicePath, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "kubernetes", ["namespace"] = "default", ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" } },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = "172.30.0.1",
                ["type"] = "ClusterIP",
                ["sessionAffinity"] = "ClientIP",
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 8443 },
                    new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP", ["targetPort"] = 8053 },
                    new JsonObject { ["name"] = "dns-tcp", ["port"] = 53, ["protocol"] = "TCP", ["targetPort"] = 8053 }),
            },
        });
    }

    private static string HaproxyConfig(IEnumerable<LabHost> masters)
    {
        var sb = new StringBuilder();
        sb.Append("# Global settings\n#---------------------------------------------------------------------\nglobal\n    maxconn     20000\n    log         /dev/log local0 info\n    chroot      /var/lib/haproxy\n    pidfile     /var/run/haproxy.pid\n    user        haproxy\n    group       haproxy\n    daemon\n\n");
        sb.Append("defaults\n    mode                    http\n    log                     global\n    option                  httplog\n    timeout connect         10s\n    timeout client          300s\n    timeout server          300s\n\n");
        sb.Append("frontend  atomic-openshift-api\n    bind *:8443\n    default_backend mgmt8443\n    mode tcp\n    option tcplog\n\n");
        sb.Append("backend mgmt8443\n    balance source\n    mode tcp\n    # MASTERS 8443\n");
        foreach (var m in masters) sb.Append($"    server {Fqdn(m.Name)} {m.Address}:8443 check\n");
        return sb.ToString();
    }

    private string InventoryText()
    {
        var sb = new StringBuilder("[OSEv3:children]\nmasters\nnodes\netcd\nlb\n\n[OSEv3:vars]\nansible_ssh_user=root\nopenshift_deployment_type=openshift-enterprise\nopenshift_release=v3.11\nopenshift_master_cluster_method=native\nopenshift_master_cluster_hostname=lb-0.example.com\n\n[masters]\n");
        foreach (var m in Masters) sb.Append(Fqdn(m.Name)).Append('\n');
        sb.Append("\n[etcd]\n");
        foreach (var e in EtcdHosts) sb.Append(Fqdn(e.Name)).Append('\n');
        sb.Append("\n[lb]\n");
        if (LoadBalancer is { } lb) sb.Append(Fqdn(lb.Name)).Append('\n');
        sb.Append("\n[nodes]\n");
        foreach (var m in Masters) sb.Append(Fqdn(m.Name)).Append(" openshift_node_group_name='node-config-master'\n");
        foreach (var n in Cluster.Hosts.Where(h => h.Roles.Contains(HostRoles.Worker)).OrderBy(h => h.Name, StringComparer.Ordinal))
            sb.Append(Fqdn(n.Name)).Append(" openshift_node_group_name='node-config-compute'\n");
        return sb.ToString();
    }
}
