using RecoveryConsole.Lab.Legacy;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>What 5.2.1.2.2 runs on a 3.11 master: oc as root, and etcdctl in the etcd pod's container on its node.</summary>
[Trait("Category", "Lab")]
public sealed class Ocp311BackupCommandTests
{
    private const string Pod = "master-etcd-master-0.example.com";
    private const string Certs = "--cert /etc/etcd/peer.crt --key /etc/etcd/peer.key --cacert /etc/etcd/ca.crt";

    [Fact]
    public async Task The_endpoint_comes_from_the_static_pod_manifest_and_oc_lists_the_static_pods_as_root_only()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp311());

        Assert.Equal(["192.0.2.111:2379"], await lab.MustAsync("master-1", "sudo grep https /etc/origin/node/pods/etcd.yaml | cut -d '/' -f3"));
        var pods = await lab.MustAsync("master-1", "sudo oc get pods -n kube-system");
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", pods[0]);
        Assert.Equal(9, pods.Count - 1);
        Assert.Matches(@"^master-etcd-master-2\.example\.com\s+1/1\s+Running\s+0\s+3d$", pods[^1]);
        Assert.Equal([Pod], await lab.MustAsync("master-1", "sudo oc get pods -n kube-system | grep -o -m 1 '^master-etcd\\S*'"));

        var (code, _, err) = await lab.RunAsync("master-1", "oc get pods -n kube-system");
        Assert.Equal(1, code);
        Assert.StartsWith("error: Missing or incomplete configuration info.", err[0], StringComparison.Ordinal);
        Assert.Contains("Logged into \"https://master-1.example.com:8443\" as \"system:admin\" using existing credentials.", await lab.MustAsync("master-1", "sudo oc login -u system:admin"));
    }

    [Fact]
    public async Task A_snapshot_saved_in_the_etcd_pod_lands_on_its_node_and_snapshot_status_reads_it()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp311());
        var exec = $"sudo oc exec {Pod} -c etcd -- /bin/bash -c";

        // The current project is default until oc project switches it, as the document does before oc exec.
        var (code, _, err) = await lab.RunAsync("master-1", $"{exec} \"ETCDCTL_API=3 etcdctl {Certs} --endpoints 192.0.2.111:2379 snapshot save /var/lib/etcd/snapshot.db\"");
        Assert.Equal((1, $"Error from server (NotFound): pods \"{Pod}\" not found"), (code, err.Single()));
        await lab.MustAsync("master-1", "sudo oc project kube-system");

        Assert.Contains("192.0.2.111:2379 is healthy: successfully committed proposal: took = 2.364351ms",
            await lab.MustAsync("master-1", $"{exec} \"ETCDCTL_API=3 etcdctl {Certs} --endpoints 192.0.2.111:2379 endpoint health\""));
        Assert.Equal(["Snapshot saved at /var/lib/etcd/snapshot.db"],
            await lab.MustAsync("master-1", $"{exec} \"ETCDCTL_API=3 etcdctl {Certs} --endpoints 192.0.2.111:2379 snapshot save /var/lib/etcd/snapshot.db\""));
        Assert.StartsWith("etcd-snapshot cluster=", lab.Read("master-0", "/var/lib/etcd/snapshot.db"), StringComparison.Ordinal);
        Assert.False(lab.Cluster.Host("master-1").FileSystem.FileExists("/var/lib/etcd/snapshot.db"));
        var status = await lab.MustAsync("master-1", $"{exec} \"ETCDCTL_API=3 etcdctl snapshot status /var/lib/etcd/snapshot.db -w table\"");
        Assert.Matches(@"^\|\s+HASH\s+\|\s+REVISION\s+\|\s+TOTAL KEYS\s+\|\s+TOTAL SIZE\s+\|$", status[1]);

        (code, _, err) = await lab.RunAsync("master-1", $"{exec} \"etcdctl snapshot save /var/lib/etcd/x.db\"");
        Assert.Equal(3, code);
        Assert.Equal(["No help topic for 'snapshot'", "command terminated with exit code 3"], err);
        (code, _, err) = await lab.RunAsync("master-1", $"{exec} \"ETCDCTL_API=3 etcdctl {Certs} --endpoints 192.0.2.99:2379 endpoint health\"");
        Assert.Equal(1, code);
        Assert.Equal(["192.0.2.99:2379 is unhealthy: failed to commit proposal: context deadline exceeded", "Error: unhealthy cluster", "command terminated with exit code 1"], err);
        (code, _, err) = await lab.RunAsync("master-1", $"{exec} \"ETCDCTL_API=3 etcdctl --cert /etc/etcd/missing.crt --key /etc/etcd/peer.key snapshot save /var/lib/etcd/x.db\"");
        Assert.Equal("Error: open /etc/etcd/missing.crt: no such file or directory", err[0]);
    }

    [Fact]
    public async Task Exec_into_the_pod_of_a_dead_master_fails_like_the_api_server_dialling_its_kubelet()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp311());
        lab.Cluster.Host("master-0").Reachable = false;

        var (code, _, err) = await lab.RunAsync("master-1", $"sudo oc exec -n kube-system {Pod} -c etcd -- /bin/bash -c \"ETCDCTL_API=3 etcdctl snapshot status /var/lib/etcd/snapshot.db\"");

        Assert.Equal((1, "Error from server: error dialing backend: dial tcp 192.0.2.110:10250: connect: no route to host"), (code, err.Single()));
    }
}
