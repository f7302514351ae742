using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Lab.Tests.Health;

[Trait("Category", "Lab")]
public sealed class LabHealthTests
{
    [Fact]
    public void A_fresh_lab_cluster_is_healthy_and_has_its_seed_backup()
    {
        var lab = new Ocp4Harness();
        var report = lab.Health();
        Assert.True(report.Healthy, report.ToString());
        Assert.Equal("lab-ocp4 is healthy", report.ToString());
        var backup = lab.Cluster.Host("master-0").FileSystem.List("/home/core/assets/backup");
        Assert.Equal(["snapshot_2024-09-01_080000.db", "static_kuberesources_2024-09-01_080000.tar.gz"], backup);
    }

    [Fact]
    public void Losing_one_control_plane_host_keeps_quorum_but_is_reported()
    {
        var lab = new Ocp4Harness();
        lab.Model.LoseHost("master-2");
        lab.Pass(TimeSpan.FromMinutes(1));

        var report = lab.Health();
        Assert.False(report.Has("etcd-quorum-lost"));
        Assert.False(report.Has("api-unreachable"));
        Assert.Equal(["host-down", "etcd-member-down", "node-not-ready"], report.Problems.Select(p => p.Code).Distinct().ToList());
        Assert.All(report.Problems, p => Assert.Equal("master-2", p.Subject));
    }

    [Fact]
    public async Task A_deleted_ovnkube_node_pod_is_recreated_and_nothing_is_reported()
    {
        var lab = new Ocp4Harness();
        await lab.MustApiAsync("DELETE", "/api/v1/namespaces/openshift-ovn-kubernetes/pods?labelSelector=app%3Dovnkube-node&fieldSelector=spec.nodeName%3D%3Dworker-0");
        lab.Pass(TimeSpan.FromSeconds(30));
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
    }

    [Fact]
    public void Clusters_the_lab_does_not_model_are_judged_by_reachability_only()
    {
        var info = new ClusterInfo { Name = "lab-ocp3", Product = "openshift", Version = "3.11.420", Hosts = [new("master-0", "192.0.2.30", ["control-plane"])] };
        var registry = new LabClusterRegistry(new LabOptions { TimeScale = 0 }, TimeProvider.System, [info]);
        var cluster = registry.FindLab("lab-ocp3")!;
        Assert.Null(cluster.Ocp4);
        Assert.True(LabHealth.Evaluate(cluster).Healthy);
        cluster.Host("master-0").Reachable = false;
        Assert.Equal("host-down", LabHealth.Evaluate(cluster).Problems.Single().Code);
    }
}
