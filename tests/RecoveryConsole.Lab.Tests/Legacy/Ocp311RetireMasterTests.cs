using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Lab.Legacy.Ocp311;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>Scenario 6: OCP 3.11, an etcd host failed and a master host must be retired (001_a269d515094e3629.txt, 5.2.1.3 and 5.2.1.4).</summary>
[Trait("Category", "Lab")]
public sealed class Ocp311RetireMasterTests
{
    private const string Scenario = "ocp311-etcd-host-failed-retire-master";
    private const string FailedId = "8372784203e11288";
    private const string Etcdctl3 = "etcdctl3 --cacert=/etc/etcd/ca.crt --cert=/etc/etcd/peer.crt --key=/etc/etcd/peer.key";
    private static readonly string[] Masters = ["master-0", "master-1", "master-2"];
    private static readonly string[] FlannelHosts = ["master-0", "master-1", "master-2", "node-0", "node-1"];

    private static LegacyHarness Lab() => new(LegacyClusterCatalog.Ocp311(), Scenario);

    private static Ocp311Cluster Model(LegacyHarness lab) => (Ocp311Cluster)lab.Cluster.Model!;

    [Fact]
    public void A_healthy_311_cluster_is_seeded_with_its_files_and_the_kubernetes_endpoints()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp311());
        Assert.Equal("ocp311", lab.Cluster.Model!.Kind);
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        Assert.Contains("ETCD_INITIAL_CLUSTER=master-0.example.com=https://192.0.2.110:2380,master-1.example.com=https://192.0.2.111:2380,master-2.example.com=https://192.0.2.112:2380,etcd-0.example.com=https://192.0.2.115:2380",
            lab.Read("master-1", "/etc/etcd/etcd.conf"));
        Assert.Contains("    server master-2.example.com 192.0.2.112:8443 check", lab.Read("lb-0", "/etc/haproxy/haproxy.cfg"));
        Assert.Contains("FLANNEL_ETCD_ENDPOINTS=https://master-0.example.com:2379,", lab.Read("node-0", "/etc/sysconfig/flanneld"));
        Assert.True(lab.Cluster.Host("master-0").FileSystem.FileExists("/etc/origin/node/pods/controller.yaml"));
        Assert.Contains("[etcd]\nmaster-0.example.com\nmaster-1.example.com\nmaster-2.example.com\netcd-0.example.com\n", lab.Read("master-0", "/etc/ansible/hosts"));
    }

    [Fact]
    public async Task The_fault_shows_an_unreachable_member_and_a_master_still_in_service()
    {
        var lab = Lab();
        var health = lab.Health();
        Assert.Equal(["etcd-0"], health.Of("etcd-member-unreachable").Select(p => p.Subject).ToList());
        Assert.False(health.Has("etcd-quorum-lost"));
        Assert.True(health.Has("haproxy-backend-retired-master"), health.ToString());
        Assert.Equal(2, health.Of("retired-master-in-service").Count());
        Assert.True(health.Has("kubernetes-endpoints-stale"));
        Assert.Equal(2, health.Of("inventory-stale").Count());

        var output = await lab.MustAsync("master-0", "etcdctl2 cluster-health");
        Assert.Contains($"failed to check the health of member {FailedId} on https://192.0.2.115:2379: Get https://192.0.2.115:2379/health: dial tcp 192.0.2.115:2379: getsockopt: connection refused", output);
        Assert.Contains($"member {FailedId} is unreachable: [https://192.0.2.115:2379] are all unreachable", output);
        Assert.Equal("cluster is healthy", output[^1]);

        var (code, _, err) = await lab.RunAsync("master-0", $"{Etcdctl3} --endpoints=https://192.0.2.110:2379,https://192.0.2.115:2379 endpoint health");
        Assert.Equal(1, code);
        Assert.Equal("Error: unhealthy cluster", err[^1]);
    }

    [Fact]
    public async Task The_documented_steps_retire_the_master_and_remove_the_failed_etcd_host()
    {
        var lab = Lab();

        // Backups first (5.2.1.1): configuration files, packages, one archive.
        await lab.MustAsync("master-0", "sudo mkdir -p /backup/master-0/20240901/etc/sysconfig");
        await lab.MustAsync("master-0", "sudo cp -aR /etc/origin /backup/master-0/20240901/etc");
        await lab.MustAsync("master-0", "sudo cp -aR /etc/sysconfig/ /backup/master-0/20240901/etc/sysconfig/");
        await lab.MustAsync("master-0", "rpm -qa | sort | sudo tee /backup/master-0/20240901/packages.txt");
        await lab.MustAsync("master-0", "sudo tar -zcvf /backup/master-0-20240901.tar.gz /backup/master-0/20240901");
        var archive = await lab.MustAsync("master-0", "tar -tzf /backup/master-0-20240901.tar.gz");
        Assert.Contains("backup/master-0/20240901/etc/origin/master/master-config.yaml", archive);
        Assert.Contains("backup/master-0/20240901/packages.txt", archive);
        Assert.Contains("atomic-openshift-3.11.157-1.git.0.7b2c9a1.el7.x86_64", lab.Read("master-0", "/backup/master-0/20240901/packages.txt"));
        await lab.MustAsync("master-0", $"{Etcdctl3} --endpoints=https://192.0.2.110:2379 snapshot save /backup/master-0/snapshot.db");

        // 5.2.1.4 on the current etcd cluster: remove the failed member by its ID.
        var health = await lab.MustAsync("master-0", "etcdctl2 cluster-health");
        var failed = health.Single(l => l.EndsWith("are all unreachable", StringComparison.Ordinal)).Split(' ')[1];
        Assert.Equal(FailedId, failed);
        Assert.Equal([$"Removed member {failed} from cluster"], await lab.MustAsync("master-0", $"etcdctl2 member remove {failed}"));
        Assert.Equal("cluster is healthy", (await lab.MustAsync("master-0", "etcdctl2 cluster-health"))[^1]);
        var table = await lab.MustAsync("master-1", $"{Etcdctl3} --endpoints=https://192.0.2.111:2379 member list -w table");
        Assert.Equal(3 + 4, table.Count);
        Assert.DoesNotContain(table, l => l.Contains("etcd-0", StringComparison.Ordinal));
        Assert.True(lab.Health().Has("etcd-initial-cluster-stale"));

        // ETCD_INITIAL_CLUSTER on the remaining etcd hosts.
        const string initial = "ETCD_INITIAL_CLUSTER=master-0.example.com=https://192.0.2.110:2380,master-1.example.com=https://192.0.2.111:2380,master-2.example.com=https://192.0.2.112:2380";
        foreach (var master in Masters) await lab.RewriteAsync(master, "/etc/etcd/etcd.conf", "^ETCD_INITIAL_CLUSTER=", initial);
        Assert.False(lab.Health().Has("etcd-initial-cluster-stale"));

        // The inventory, and flanneld on every host (edit, then restart: the running service keeps the old list until then).
        await lab.RewriteAsync("master-0", "/etc/ansible/hosts", "^etcd-0.example.com");
        const string flannel = "FLANNEL_ETCD_ENDPOINTS=https://master-0.example.com:2379,https://master-1.example.com:2379,https://master-2.example.com:2379";
        foreach (var host in FlannelHosts) await lab.RewriteAsync(host, "/etc/sysconfig/flanneld", "^FLANNEL_ETCD_ENDPOINTS=", flannel);
        Assert.Equal(5, lab.Health().Of("flanneld-stale-endpoints").Count());
        foreach (var host in FlannelHosts) await lab.MustAsync(host, "sudo systemctl restart flanneld.service");
        Assert.False(lab.Health().Has("flanneld-stale-endpoints"));
        Assert.False(lab.Health().Has("etcd-member-unreachable"));

        // 5.2.1.3: take master-2 out of haproxy, restart it.
        await lab.RewriteAsync("lb-0", "/etc/haproxy/haproxy.cfg", "server master-2.example.com");
        Assert.True(lab.Health().Has("haproxy-backend-retired-master")); // not restarted yet
        await lab.MustAsync("lb-0", "sudo systemctl restart haproxy");
        Assert.False(lab.Health().Has("haproxy-backend-retired-master"));
        Assert.Equal(["master-0.example.com 192.0.2.110:8443", "master-1.example.com 192.0.2.111:8443"], Model(lab).RunningHaproxyBackends("lb-0"));

        // Disable its API and controllers static pods; restart the API on the others.
        await lab.MustAsync("master-2", "sudo mkdir -p /etc/origin/node/pods/disabled");
        await lab.MustAsync("master-2", "sudo mv /etc/origin/node/pods/apiserver.yaml /etc/origin/node/pods/disabled/");
        await lab.MustAsync("master-2", "sudo mv /etc/origin/node/pods/controller.yaml /etc/origin/node/pods/disabled/");
        foreach (var master in new[] { "master-0", "master-1" }) await lab.MustAsync(master, "master-restart api && master-restart controllers");
        var (code, _, err) = await lab.RunAsync("master-2", "master-restart api");
        Assert.Equal(1, code);
        Assert.Equal("Component api is not running", err.Single());

        // Remove it from [masters] and [nodes]; the kubernetes service no longer lists it.
        var group = "";
        var kept = lab.Read("master-0", "/etc/ansible/hosts").TrimEnd('\n').Split('\n').Where(line =>
        {
            if (line.StartsWith('[')) group = line;
            return !(group is "[masters]" or "[nodes]" && line.StartsWith("master-2.example.com", StringComparison.Ordinal));
        });
        await lab.WriteAsync("master-0", "/etc/ansible/hosts", string.Join('\n', kept) + "\n");
        var endpoints = await lab.MustApiAsync("GET", "/api/v1/namespaces/default/endpoints/kubernetes");
        Assert.Equal(["192.0.2.110", "192.0.2.111"], endpoints["subsets"]![0]!["addresses"]!.AsArray().Select(a => (string?)a!["ip"]).ToList());
        var inventory = lab.Read("master-0", "/etc/ansible/hosts");
        Assert.Contains("[etcd]\nmaster-0.example.com\nmaster-1.example.com\nmaster-2.example.com\n", inventory);
        Assert.DoesNotContain("master-2.example.com openshift_node_group_name", inventory);

        Assert.True(lab.Health().Healthy, lab.Health().ToString());
    }

    [Fact]
    public async Task Removing_a_healthy_member_instead_of_the_failed_one_takes_a_working_etcd_out()
    {
        var lab = Lab();
        var list = await lab.MustAsync("master-0", "etcdctl2 member list");
        var master1 = list.Single(l => l.Contains("name=master-1.example.com", StringComparison.Ordinal)).Split(':')[0];
        await lab.MustAsync("master-0", $"etcdctl2 member remove {master1}");

        var health = lab.Health();
        Assert.Equal("master-1", health.Of("etcd-healthy-member-removed").Single().Subject);
        Assert.True(health.Has("etcd-member-unreachable")); // the failed one is still there
        Assert.Equal(3, Model(lab).Members.Count);
        // etcd on master-1 cannot start again: it is no longer a member.
        Assert.Equal(5, (await lab.RunAsync("master-1", "sudo systemctl restart etcd")).Code); // master-1 runs etcd as a static pod, not a unit

        // A host name instead of an ID is refused.
        var (code, _, err) = await lab.RunAsync("master-0", "etcdctl2 member remove etcd-0.example.com");
        Assert.Equal(1, code);
        Assert.Equal("Error:  strconv.ParseUint: parsing \"etcd-0.example.com\": invalid syntax", err.Single());
        (code, _, err) = await lab.RunAsync("master-0", $"{Etcdctl3} --endpoints=https://192.0.2.110:2379 member remove {master1}");
        Assert.Equal(1, code);
        Assert.Equal("Error: etcdserver: member not found", err.Single());
    }

    [Fact]
    public async Task A_haproxy_config_without_masters_takes_the_load_balancer_down_and_a_reset_brings_everything_back()
    {
        var lab = Lab();
        await lab.RewriteAsync("lb-0", "/etc/haproxy/haproxy.cfg", "server ");
        await lab.MustAsync("lb-0", "sudo systemctl restart haproxy");
        var health = lab.Health();
        Assert.True(health.Has("haproxy-down"));
        Assert.Equal(["master-0", "master-1"], health.Of("haproxy-backend-missing").Select(p => p.Subject).ToList());

        lab.Scenarios.Reset(lab.Cluster.Info.Name);
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        Assert.Equal(4, Model(lab).Members.Count);
        Assert.Equal(3, Model(lab).RunningHaproxyBackends("lb-0").Count);
    }
}
