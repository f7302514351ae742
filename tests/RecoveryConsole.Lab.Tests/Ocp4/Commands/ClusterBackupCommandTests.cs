using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Ocp4.Etcd;

namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

[Trait("Category", "Lab")]
public sealed class ClusterBackupCommandTests
{
    private readonly Ocp4Harness _lab = new();

    [Fact]
    public async Task A_backup_prints_the_script_lines_and_writes_both_files_named_by_the_date()
    {
        _lab.Pass(TimeSpan.FromHours(2)); // 10:00:00
        var (code, stdout, stderr) = await _lab.RunAsync("master-1", "sudo /usr/local/bin/cluster-backup.sh /home/core/assets/backup2");

        Assert.Equal(0, code);
        Assert.Equal(
        [
            "Certificate /etc/kubernetes/static-pod-certs/configmaps/etcd-serving-ca/ca-bundle.crt is missing. Checking in different directory",
            "Certificate /etc/kubernetes/static-pod-resources/etcd-certs/configmaps/etcd-serving-ca/ca-bundle.crt found!",
            "found latest kube-apiserver: /etc/kubernetes/static-pod-resources/kube-apiserver-pod-7",
            "found latest kube-controller-manager: /etc/kubernetes/static-pod-resources/kube-controller-manager-pod-7",
            "found latest kube-scheduler: /etc/kubernetes/static-pod-resources/kube-scheduler-pod-7",
            "found latest etcd: /etc/kubernetes/static-pod-resources/etcd-pod-7",
        ], stdout.Take(6));
        Assert.Matches("^[0-9a-f]{64}$", stdout[6]); // podman copied etcdctl out of the image (first time on this host)
        Assert.Equal(["etcdctl version: 3.5.14", "API version: 3.5", "Snapshot saved at /home/core/assets/backup2/snapshot_2024-09-01_100000.db"], stdout[7..10]);
        var status = JsonNode.Parse(stdout[10])!.AsObject();
        Assert.Equal(["hash", "revision", "totalKey", "totalSize"], status.Select(p => p.Key).ToList());
        Assert.Equal("snapshot db and kube resources are successfully saved to /home/core/assets/backup2", stdout[^1]);
        Assert.Contains(stderr, l => l.Contains("\"msg\":\"fetching snapshot\"", StringComparison.Ordinal) && l.Contains("https://192.0.2.11:2379", StringComparison.Ordinal));

        Assert.Equal(["snapshot_2024-09-01_100000.db", "static_kuberesources_2024-09-01_100000.tar.gz"], await _lab.MustAsync("master-1", "ls /home/core/assets/backup2"));
        var second = await _lab.MustAsync("master-1", "sudo /usr/local/bin/cluster-backup.sh /home/core/assets/backup3");
        Assert.Equal("etcdctl is already installed", second[6]);
    }

    [Fact]
    public async Task The_snapshot_is_a_capture_of_the_current_keyspace_and_its_z_stream()
    {
        await _lab.MustApiAsync("POST", "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"captured"}}""", "application/json");
        var revision = _lab.Model.Api.Revision;
        _lab.Pass(TimeSpan.FromMinutes(1));
        await _lab.MustAsync("master-0", "sudo /usr/local/bin/cluster-backup.sh /home/core/b");

        Assert.True(_lab.Cluster.Host("master-0").FileSystem.TryReadFile("/home/core/b/snapshot_2024-09-01_080100.db", out var text));
        var snapshot = EtcdSnapshotFile.Parse(text)!;
        Assert.Equal("4.16.12", snapshot.OpenShiftVersion);
        Assert.True(snapshot.Revision >= revision);
        Assert.True(snapshot.Objects.ContainsKey("/api/v1/namespaces/captured"));
        var status = JsonNode.Parse((await _lab.MustAsync("master-0", "etcdctl snapshot status /home/core/b/snapshot_2024-09-01_080100.db -w json")).Single())!;
        Assert.Equal(snapshot.Revision, (long)status["revision"]!);
    }

    [Fact]
    public async Task It_refuses_while_an_operator_is_progressing_and_force_makes_a_possibly_dirty_backup()
    {
        await _lab.MergePatchAsync("/apis/operator.openshift.io/v1/etcds/cluster", """{"spec":{"forceRedeploymentReason":"rollout-in-progress"}}""");
        _lab.Pass(TimeSpan.FromSeconds(5));

        var (code, stdout, _) = await _lab.RunAsync("master-0", "sudo /usr/local/bin/cluster-backup.sh /home/core/assets/b");
        Assert.Equal(1, code);
        Assert.Equal("Currently the etcd operator is progressing. A reliable backup requires that a rollout is not in progress.  Aborting!", stdout[^1]);
        Assert.Empty(await _lab.MustAsync("master-0", "ls /home/core/assets/b"));

        // master-0's etcd is being restarted by the rollout right now: its snapshot fails, and the trap removes both files.
        var (failed, _, error) = await _lab.RunAsync("master-0", "sudo /usr/local/bin/cluster-backup.sh --force /home/core/assets/b");
        Assert.Equal((1, "Error: context deadline exceeded"), (failed, error[^1]));
        Assert.Empty(await _lab.MustAsync("master-0", "ls /home/core/assets/b"));

        var forced = await _lab.MustAsync("master-2", "sudo /usr/local/bin/cluster-backup.sh --force /home/core/assets/b");
        Assert.Equal("snapshot db and kube resources are successfully saved to /home/core/assets/b", forced[^1]);
        Assert.Equal(["snapshot_2024-09-01_080005__POSSIBLY_DIRTY__.db", "static_kuberesources_2024-09-01_080005__POSSIBLY_DIRTY__.tar.gz"],
            await _lab.MustAsync("master-2", "ls /home/core/assets/b"));
    }

    [Fact]
    public async Task Usage_root_and_an_api_that_does_not_answer()
    {
        var (code, stdout, _) = await _lab.RunAsync("master-0", "sudo /usr/local/bin/cluster-backup.sh");
        Assert.Equal((1, "Path to backup dir required: ./cluster-backup.sh [--force] <path-to-backup-dir>"), (code, stdout.Single()));
        (code, stdout, _) = await _lab.RunAsync("master-0", "/usr/local/bin/cluster-backup.sh /home/core/x");
        Assert.Equal((1, "This script must be run as root"), (code, stdout.Single()));
        var (workerCode, _, workerErr) = await _lab.RunAsync("worker-0", "sudo /usr/local/bin/cluster-backup.sh /home/core/x");
        Assert.Equal((1, "sudo: /usr/local/bin/cluster-backup.sh: command not found"), (workerCode, workerErr.Single()));

        _lab.Model.LoseHost("master-1");
        _lab.Model.LoseHost("master-2");
        (code, stdout, _) = await _lab.RunAsync("master-0", "sudo /usr/local/bin/cluster-backup.sh /home/core/x");
        Assert.Equal((1, "Could not find the status of the kube-apiserver. Check if the API server is running. Pass the --force flag to skip checks."), (code, stdout[^1]));
        var forced = await _lab.MustAsync("master-0", "sudo /usr/local/bin/cluster-backup.sh --force /home/core/x");
        Assert.Equal("snapshot db and kube resources are successfully saved to /home/core/x", forced[^1]); // the local member answers without quorum
    }
}
