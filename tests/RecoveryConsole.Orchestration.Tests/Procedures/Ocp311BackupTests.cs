using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// procedures/ocp311-backup-master.yaml and ocp311-backup-etcd.yaml (001, 5.2.1.1 and 5.2.1.2) through RunService on
/// the 3.11 lab cluster: what they leave on the hosts and in the console's artifact store, judged by the hosts' files.
/// </summary>
[Trait("Category", "Lab")]
public sealed class Ocp311BackupTests
{
    private const string Cluster = LegacyClusterCatalog.Ocp311ClusterName;
    private const string MasterBackup = "ocp311-backup-master";
    private const string EtcdBackup = "ocp311-backup-etcd";

    // The files of the document's list (5.2.1.1 step 5) that every master of the lab has.
    private static readonly string[] DocumentFiles =
    [
        "etc/origin/master/master-config.yaml", "etc/origin/master/ca.crt", "etc/origin/master/ca.key", "etc/origin/master/admin.kubeconfig",
        "etc/origin/master/htpasswd", "etc/origin/master/session-secrets.yaml", "etc/origin/master/master.etcd-client.crt",
        "etc/origin/cloudprovider/openstack.conf", "etc/origin/node/node-config.yaml", "etc/origin/node/flannel.etcd-ca.crt",
        "etc/origin/node/pods/etcd.yaml", "etc/sysconfig/iptables", "etc/sysconfig/flanneld", "etc/sysconfig/docker-network",
        "etc/sysconfig/docker-storage", "etc/sysconfig/docker-storage-setup", "etc/dnsmasq.conf", "etc/dnsmasq.d/origin-dns.conf",
        "etc/dnsmasq.d/origin-upstream-dns.conf", "etc/pki/ca-trust/source/anchors/openshift-ca.crt",
        "etc/pki/ca-trust/source/anchors/registry-ca.crt", "etc/cni/net.d/80-openshift-network.conf", "packages.txt",
    ];

    [Fact]
    public async Task Every_master_is_backed_up_into_a_tarball_stored_in_the_console_with_its_checksum_and_contents()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, null, [MasterBackup]);
        var stamp = drill.Cluster.Clock.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

        var run = await drill.DriveAsync(await drill.StartRunAsync(MasterBackup, new() { ["masters"] = "master-0,master-1,master-2" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var store = drill.Engine.Services.GetRequiredService<IArtifactStore>();
        var artifacts = await store.ListAsync(run.Id, default);
        Assert.Equal(6, artifacts.Count);
        foreach (var master in new[] { "master-0", "master-1", "master-2" })
        {
            var files = drill.Cluster.Host(master).FileSystem;
            foreach (var name in new[] { $"{master}-{stamp}.tar.gz", $"{master}-{stamp}.contents.txt" })
            {
                var artifact = Assert.Single(artifacts, a => a.Name == name);
                Assert.True(files.TryGetSha256($"/backup/{name}", out var hostSha), $"/backup/{name} on {master}");
                Assert.Equal(hostSha, artifact.Sha256);
                Assert.Equal($"{master}:/backup/{name}", artifact.Origin);
            }

            // The stored contents list names the document's files under MYBACKUPDIR (tar strips the leading '/').
            using var reader = new StreamReader(await store.OpenAsync(run.Id, $"{master}-{stamp}.contents.txt", default));
            var contents = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var file in DocumentFiles) Assert.Contains($"backup/{master}/{stamp}/{file}", contents);
            Assert.Equal(master == "master-0", contents.Contains($"backup/{master}/{stamp}/etc/origin/master/ca.serial.txt"));

            // The tarball really holds what was copied; the uncompressed directory is gone once the tarball is stored.
            Assert.True(files.TryReadFile($"/backup/{master}-{stamp}.tar.gz", out var tarball));
            Assert.Equal(contents, tarball.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
            Assert.False(files.DirectoryExists($"/backup/{master}/{stamp}"));
            Assert.True(files.TryReadFile($"/etc/origin/master/master-config.yaml", out _));
        }
        Assert.Empty(drill.Cluster.Host("node-0").FileSystem.FilesUnder("/backup"));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
    }

    [Fact]
    public async Task A_master_without_flannel_is_backed_up_without_flanneld()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, null, [MasterBackup]);
        var stamp = drill.Cluster.Clock.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        // openshift-sdn without flannel: no /etc/sysconfig/flanneld, on which the document's cp would stop.
        drill.Cluster.Host("master-1").FileSystem.Delete("/etc/sysconfig/flanneld");

        var run = await drill.DriveAsync(await drill.StartRunAsync(MasterBackup, new() { ["masters"] = "master-1" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(StepStatus.Skipped, HostStep(run, "backup", "other-files", "master-1")!.Status);
        Assert.True(drill.Cluster.Host("master-1").FileSystem.TryReadFile($"/backup/master-1-{stamp}.contents.txt", out var contents));
        Assert.Contains($"backup/master-1/{stamp}/etc/sysconfig/iptables\n", contents, StringComparison.Ordinal);
        Assert.Contains($"backup/master-1/{stamp}/etc/dnsmasq.d/origin-dns.conf\n", contents, StringComparison.Ordinal);
        Assert.DoesNotContain("etc/sysconfig/flanneld\n", contents, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_master_that_dies_during_its_backup_is_named_and_the_masters_already_stored_stay_in_the_console()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, null, [MasterBackup]);
        var stamp = drill.Cluster.Clock.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        // master-1 loses power while its package list is being written.
        Assert.True(drill.Cluster.Commands.TryResolve("rpm", out var rpm));
        drill.Cluster.Commands.Register("rpm", async c =>
        {
            var status = await rpm.RunAsync(c);
            if (c.Host.Name == "master-1") c.Host.Reachable = false;
            return status;
        });

        var run = await drill.DriveAsync(await drill.StartRunAsync(MasterBackup, new() { ["masters"] = "master-0,master-1,master-2" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("master-1", run.StatusReason, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Failed, HostStep(run, "backup", "list-files", "master-1")!.Status);
        Assert.Null(HostStep(run, "backup", "backup-dir", "master-2"));
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Host == "master-1" && l.Text.Contains("192.0.2.111 port 22: No route to host", StringComparison.Ordinal));
        // master-0's backup, finished before, is in the console and still matches its host's files.
        var artifacts = await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default);
        Assert.Equal([$"master-0-{stamp}.contents.txt", $"master-0-{stamp}.tar.gz"], artifacts.Select(a => a.Name).Order(StringComparer.Ordinal));
        foreach (var artifact in artifacts)
        {
            Assert.True(drill.Cluster.Host("master-0").FileSystem.TryGetSha256($"/backup/{artifact.Name}", out var sha));
            Assert.Equal(sha, artifact.Sha256);
        }
    }

    [Fact]
    public async Task The_etcd_configuration_of_every_member_and_a_snapshot_from_the_etcd_pod_are_saved()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, null, [EtcdBackup]);
        var stamp = drill.Cluster.Clock.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

        var run = await drill.DriveAsync(await drill.StartRunAsync(EtcdBackup, new() { ["master"] = "master-1" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        foreach (var member in new[] { "master-0", "master-1", "master-2", "etcd-0" })
        {
            var files = drill.Cluster.Host(member).FileSystem;
            Assert.True(files.TryReadFile($"/backup/etcd-config-{stamp}/etcd/etcd.conf", out var conf), member);
            Assert.True(files.TryReadFile("/etc/etcd/etcd.conf", out var original));
            Assert.Equal(original, conf);
            Assert.True(files.FileExists($"/backup/etcd-config-{stamp}/etcd/peer.key"), member);
        }

        // The endpoint came from master-1's manifest; the pod is the first master-etcd pod, whose node holds the snapshot.
        var lines = await drill.TranscriptAsync(run.Id);
        var save = Assert.Single(lines, l => l.StepPath == "etcd-data/snapshot-save" && l.Text.StartsWith("$ ", StringComparison.Ordinal));
        Assert.Equal("$ sudo oc exec master-etcd-master-0.example.com -c etcd -- /bin/bash -c \"ETCDCTL_API=3 etcdctl --cert /etc/etcd/peer.crt " +
                     "--key /etc/etcd/peer.key --cacert /etc/etcd/ca.crt --endpoints 192.0.2.111:2379 snapshot save /var/lib/etcd/snapshot.db\"", save.Text);
        var artifact = Assert.Single(await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default));
        Assert.Equal($"etcd-snapshot-master-0-{stamp}.db", artifact.Name);
        var node = drill.Cluster.Host("master-0").FileSystem;
        Assert.True(node.TryGetSha256("/var/lib/etcd/snapshot.db", out var hostSha));
        Assert.Equal(hostSha, artifact.Sha256);
        Assert.True(node.TryReadFile("/var/lib/etcd/snapshot.db", out var snapshot));
        Assert.StartsWith("etcd-snapshot cluster=", snapshot, StringComparison.Ordinal);
        Assert.False(drill.Cluster.Host("master-1").FileSystem.FileExists("/var/lib/etcd/snapshot.db"));

        Assert.Contains(lines, l => l.StepPath == "etcd-data/snapshot-save" && l.Text == "Snapshot saved at /var/lib/etcd/snapshot.db");
        Assert.Contains(lines, l => l.StepPath == "etcd-data/snapshot-status" && l.Text.Contains("TOTAL KEYS", StringComparison.Ordinal));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
    }

    [Fact]
    public async Task A_dead_etcd_host_is_named_before_anything_starts_and_once_listed_as_lost_the_others_are_backed_up()
    {
        // Scenario: the separate etcd host etcd-0 is dead (and master-2 awaits retirement); etcd keeps its quorum.
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, "ocp311-etcd-host-failed-retire-master", [EtcdBackup]);
        var stamp = drill.Cluster.Clock.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

        var refused = await drill.DriveAsync(await drill.StartRunAsync(EtcdBackup, new() { ["master"] = "master-0" }));

        Assert.Equal(RunStatus.Failed, refused.Status);
        Assert.Contains("etcd-0", refused.StatusReason, StringComparison.Ordinal);
        Assert.Null(HostStep(refused, "etcd-config", "copy", "master-0"));
        Assert.Empty(drill.Cluster.Host("master-0").FileSystem.FilesUnder("/backup"));

        var run = await drill.DriveAsync(await drill.StartRunAsync(EtcdBackup, new() { ["master"] = "master-0", ["lostEtcdHosts"] = "etcd-0" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        foreach (var master in new[] { "master-0", "master-1", "master-2" })
            Assert.True(drill.Cluster.Host(master).FileSystem.FileExists($"/backup/etcd-config-{stamp}/etcd/etcd.conf"), master);
        Assert.Null(HostStep(run, "etcd-config", "copy", "etcd-0"));
        var artifact = Assert.Single(await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default));
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryGetSha256("/var/lib/etcd/snapshot.db", out var sha));
        Assert.Equal(sha, artifact.Sha256);
    }

    /// <summary>The record of a child step of a per-host group: group[host]/child.</summary>
    private static StepExecution? HostStep(Run run, string group, string child, string host) =>
        run.Steps.LastOrDefault(s => s.StepPath == $"{group}[{host}]/{child}");
}
