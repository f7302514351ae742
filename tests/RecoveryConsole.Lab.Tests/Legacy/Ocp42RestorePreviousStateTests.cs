using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Lab.Legacy.Ocp42;
using RecoveryConsole.Lab.Scenarios;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>Scenario 7c: OCP 4.2/4.3 restore to a previous cluster state on all masters (003_28eb1c421f859d40.txt 3.3.1).</summary>
[Trait("Category", "Lab")]
public sealed class Ocp42RestorePreviousStateTests
{
    private const string Scenario = "ocp42-restore-previous-state";
    private const string BackupDir = "/home/core/backup";
    private static readonly string[] MasterHosts = ["master-0", "master-1", "master-2"];
    private static readonly string[] Workload =
    [
        "/api/v1/namespaces/shop",
        "/api/v1/namespaces/shop/configmaps/storefront-config",
        "/api/v1/namespaces/shop/secrets/payment-gateway",
    ];

    private static Ocp42Cluster Model(LegacyHarness lab) => (Ocp42Cluster)lab.Cluster.Model!;

    /// <summary>Step 1.1: the backup directory copied to the other masters (what scp would do).</summary>
    private static void CopyBackup(LegacyHarness lab, string from, params string[] to)
    {
        var source = lab.Cluster.Host(from).FileSystem;
        foreach (var file in source.FilesUnder(BackupDir))
        {
            source.TryReadFile(file, out var text);
            foreach (var host in to) lab.Cluster.Host(host).FileSystem.WriteFile(file, text);
        }
    }

    [Fact]
    public async Task Staged_the_namespace_and_its_contents_are_gone_the_api_serves_and_the_backup_is_on_master_0_only()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), Scenario);

        var health = lab.Health();
        Assert.False(health.Healthy);
        Assert.Equal(Workload.Order(StringComparer.Ordinal), health.Of("critical-object-missing").Select(p => p.Subject));
        Assert.Equal(["critical-object-missing"], health.Problems.Select(p => p.Code).Distinct());
        Assert.Equal(404, (await lab.ApiAsync("GET", "/api/v1/namespaces/shop/configmaps/storefront-config")).Status);
        Assert.Equal(200, (await lab.ApiAsync("GET", "/api/v1/namespaces/kube-system")).Status);
        var listing = await lab.MustAsync("master-0", $"ls -1 {BackupDir}");
        Assert.Matches(@"^snapshot_\d{4}-\d{2}-\d{2}_\d{6}\.db$", listing[0]);
        Assert.Matches(@"^static_kuberesources_\d{4}-\d{2}-\d{2}_\d{6}\.tar\.gz$", listing[1]);
        Assert.Empty(lab.Cluster.Host("master-1").FileSystem.FilesUnder(BackupDir));
    }

    [Fact]
    public async Task Restoring_every_master_from_the_same_backup_brings_the_namespace_back_and_the_cluster_is_healthy()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), Scenario);
        var steps = new Ocp42Steps(lab);
        CopyBackup(lab, "master-0", "master-1", "master-2");
        var initial = string.Join(',', MasterHosts.Select((h, i) => $"{Ocp42Steps.Member(h)}={Ocp42Steps.Peer(i)}"));

        foreach (var master in MasterHosts) await steps.RestoreAsync(master, initial, BackupDir);

        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        var config = await lab.MustApiAsync("GET", "/api/v1/namespaces/shop/configmaps/storefront-config");
        Assert.Equal("EUR", (string?)config["data"]!["currency"]);
        Assert.Equal(3, Model(lab).RunningMembers(Model(lab).LiveCluster!));
    }

    [Fact]
    public async Task A_master_without_the_backup_cannot_restore_and_the_namespace_stays_missing()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), Scenario);
        var initial = Model(lab).InitialCluster(MasterHosts);

        var (code, _, stderr) = await lab.RunAsync("master-1", $"sudo -E /usr/local/bin/etcd-snapshot-restore.sh {BackupDir} {initial}");

        Assert.Equal(1, code);
        Assert.StartsWith($"Backup files not found in {BackupDir}", stderr.Single());
        Assert.Equal(3, lab.Health().Of("critical-object-missing").Count());
        Assert.False(lab.Health().Has("etcd-quorum-lost"));
    }

    [Fact]
    public async Task Only_the_objects_themselves_make_it_healthy_a_namespace_recreated_empty_is_not_enough()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), Scenario);

        await lab.MustApiAsync("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"shop\"}}", "application/json");

        var health = lab.Health();
        Assert.Equal(Workload[1..].Order(StringComparer.Ordinal), health.Of("critical-object-missing").Select(p => p.Subject));
        await lab.MustApiAsync("POST", "/api/v1/namespaces/shop/configmaps", "{\"metadata\":{\"name\":\"storefront-config\"}}", "application/json");
        await lab.MustApiAsync("POST", "/api/v1/namespaces/shop/secrets", "{\"metadata\":{\"name\":\"payment-gateway\"}}", "application/json");
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
    }

    [Fact]
    public void Deleting_an_object_that_does_not_exist_is_refused_in_words()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());

        var e = Assert.Throws<LabScenarioException>(() => lab.Scenarios.Faults.Find(Ocp42Cluster.ModelKind, "deleteObject")!
            .Apply(lab.Cluster, new LabFault("deleteObject", new System.Text.Json.Nodes.JsonObject { ["path"] = "/api/v1/namespaces/nothing-here" })));

        Assert.Equal("fault deleteObject: /api/v1/namespaces/nothing-here does not exist, so it cannot be deleted (Parameter 'path')", e.Message);
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
    }

    [Fact]
    public async Task Etcdctl_runs_in_the_etcd_member_container_through_crictl_exec_as_root_only()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());
        var ps = await lab.MustAsync("master-0", "sudo crictl ps --name etcd-member");
        var id = ps[1].Split(' ')[0];
        var peer = lab.Cluster.Host("master-0").FileSystem.FilesUnder("/etc/ssl/etcd").Single(f => f.Contains("etcd-peer", StringComparison.Ordinal) && f.EndsWith(".crt", StringComparison.Ordinal));
        var exec = $"crictl exec {id} env ETCDCTL_API=3 ETCDCTL_CACERT=/etc/ssl/etcd/ca.crt ETCDCTL_CERT={peer} ETCDCTL_KEY={peer[..^4]}.key etcdctl member list -w table";

        var table = await lab.MustAsync("master-0", "sudo " + exec);

        Assert.Equal(3, table.Count(l => l.Contains("| started |", StringComparison.Ordinal)));
        var (code, _, stderr) = await lab.RunAsync("master-0", exec);
        Assert.Equal(1, code);
        Assert.Contains("permission denied", stderr.Single());
        (code, _, stderr) = await lab.RunAsync("master-0", "sudo crictl exec 0123456789ab etcdctl member list");
        Assert.Equal(1, code);
        Assert.Contains("could not find container \"0123456789ab\"", stderr.Single());
        // A master whose etcd-member does not run has no container to exec into.
        await lab.MustAsync("master-1", "sudo mv /etc/kubernetes/manifests/etcd-member.yaml /tmp");
        (code, _, _) = await lab.RunAsync("master-1", "sudo " + exec);
        Assert.Equal(1, code);
    }
}
