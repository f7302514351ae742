using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Etcd;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Etcd;

/// <summary>
/// procedures/ocp4-etcd-backup.yaml through RunService with its host steps over the real SSH transport and a real
/// etcd 3.4 behind the stand-in cluster-backup.sh; the API steps use the lab's API. The host is laid out under the
/// test's own directory, so the procedure's backupScript and etcdctl parameters point there (their defaults are the
/// RHCOS paths /usr/local/bin/cluster-backup.sh and /etc/kubernetes/static-pod-resources/bin/etcdctl).
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Ssh")]
[Trait("Category", "Etcd")]
public sealed partial class BackupOverSshTests(EtcdFixture fixture)
{
    private static readonly Actor Operator = new("olivia", [Roles.Operator]);

    [Fact]
    public async Task The_backup_procedure_saves_a_real_snapshot_and_archive_and_stores_them_with_the_hosts_checksums()
    {
        var prefix = "/rc-backup-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 1; i <= 25; i++) await fixture.EtcdctlAsync(fixture.Cluster.Endpoints, "put", $"{prefix}/{i:D2}", $"value {i}");
        using var host = BackupHost.Create(fixture.Cluster.Members[0].ClientUrl);
        await using var engine = await EngineOverSsh.StartAsync(fixture.Transport, "ocp4-etcd-backup", TimeSpan.FromMinutes(2));

        var id = await engine.Runs.StartAsync(new StartRunRequest("ocp4-etcd-backup", LabClusterCatalog.DemoClusterName, new Dictionary<string, string?>
        {
            ["backupHost"] = "master-0", ["backupDir"] = host.BackupDir, ["backupScript"] = host.Script, ["etcdctl"] = host.Etcdctl,
        }), Operator, CancellationToken.None);
        var run = await engine.WaitForAsync(id, r => r.Status.IsFinal(), TimeSpan.FromMinutes(3));

        Assert.True(run.Status == RunStatus.Succeeded, await engine.ExplainAsync(run));
        var names = Directory.GetFileSystemEntries(host.BackupDir).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, names.Count);
        var stamp = Assert.Single(Regex.Matches(names[0], @"^snapshot_(\d{4}-\d{2}-\d{2}_\d{6})\.db$")).Groups[1].Value;
        Assert.Equal($"static_kuberesources_{stamp}.tar.gz", names[1]);
        var snapshot = $"{host.BackupDir}/{names[0]}";
        var archive = $"{host.BackupDir}/{names[1]}";

        // Real etcdctl accepts the snapshot, with every key put before the backup.
        var status = EtcdctlOutput.ParseSnapshotStatus(await fixture.EtcdctlAsync(fixture.Cluster.Endpoints, "snapshot", "status", snapshot, "-w", "json"));
        Assert.True(status.TotalKey >= 25, $"the snapshot holds {status.TotalKey} keys");
        // Real tar lists the newest revisions only, relative to /etc/kubernetes as cluster-restore.sh extracts them.
        var members = await HostOutputAsync($"tar -tzf {ShellQuote.Quote(archive)}");
        Assert.Contains("static-pod-resources/kube-apiserver-pod-7/configmaps/kube-apiserver-pod/version", members);
        Assert.Contains("static-pod-resources/etcd-pod-3/etcd-pod.yaml", members);
        Assert.DoesNotContain(members, m => m.StartsWith("static-pod-resources/kube-apiserver-pod-6/", StringComparison.Ordinal));

        // Root-owned 0600 files, read with sudo, stored with the SHA-256 the host computes.
        var stored = await engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default);
        Assert.Equal(names, stored.Select(a => a.Name).Order(StringComparer.Ordinal).ToList());
        foreach (var artifact in stored)
        {
            var path = $"{host.BackupDir}/{artifact.Name}";
            Assert.Equal("0 600", Assert.Single(await HostOutputAsync($"stat -c '%u %a' {ShellQuote.Quote(path)}")));
            var hostSha = Assert.Single(await HostOutputAsync($"sha256sum {ShellQuote.Quote(path)}")).Split(' ')[0];
            Assert.Equal(hostSha, artifact.Sha256);
            Assert.Equal(new FileInfo(path).Length, artifact.Bytes);
            Assert.Contains(fixture.Server.SudoLog, l => l.EndsWith($"cat -- {path}", StringComparison.Ordinal));
            Assert.Equal(BackupHost.OpenShiftVersion, artifact.Labels["clusterVersion"]);
        }
        var lines = await engine.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.StepPath == "run-backup" && l.Text == $"snapshot db and kube resources are successfully saved to {host.BackupDir}");
        Assert.Contains(lines, l => l.StepPath == "check-files/snapshot-status" && l.Text.Contains("TOTAL KEYS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_stand_in_script_refuses_to_run_without_root_and_writes_nothing()
    {
        using var host = BackupHost.Create(fixture.Cluster.Members[0].ClientUrl);
        var sink = new CollectingSink();

        // bash reads the script from stdin as nobody: the root shell opens the file, the script runs unprivileged.
        var exit = await fixture.Transport.RunAsync(fixture.Host,
            $"setpriv --reuid=65534 --regid=65534 --clear-groups bash -s -- {ShellQuote.Quote(host.BackupDir)} < {ShellQuote.Quote(host.Script)}", sink, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Equal(["This script must be run as root"], sink.Stdout);
        Assert.False(Directory.Exists(host.BackupDir));
    }

    private async Task<List<string>> HostOutputAsync(string command)
    {
        var sink = new CollectingSink();
        var exit = await fixture.Transport.RunAsync(fixture.Host, command, sink, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.True(exit == 0, $"'{command}' exited {exit}: {string.Join('\n', sink.Stderr)}");
        return sink.Stdout.ToList();
    }
}
