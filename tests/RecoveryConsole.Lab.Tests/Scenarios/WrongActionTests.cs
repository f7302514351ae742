using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Tests.Ocp4;

namespace RecoveryConsole.Lab.Tests.Scenarios;

/// <summary>Mistakes fail as they would on a real cluster, and the health model says what is wrong.</summary>
[Trait("Category", "Lab")]
public sealed class WrongActionTests
{
    [Fact]
    public async Task Restoring_while_the_other_members_still_run_splits_etcd_and_the_old_members_report_a_cluster_id_mismatch()
    {
        var lab = new Ocp4Harness("ocp4-critical-object-deleted");
        var steps = new DocumentSteps(lab);
        var oldCluster = lab.Model.LiveEtcd!.IdHex;

        // Straight to step 8 while the API still serves data: the script checks none of that and completes.
        var output = await steps.RestoreAsync("master-0");
        Assert.Contains("starting restore-etcd static pod", output);
        lab.Pass(TimeSpan.FromMinutes(2));

        var health = lab.Health();
        var mismatches = health.Of("etcd-cluster-id-mismatch").ToList();
        Assert.Equal(["master-1", "master-2"], mismatches.Select(p => p.Subject).ToList());
        Assert.Contains($"of the old cluster {oldCluster}", mismatches[0].Message);
        Assert.Equal(["master-1", "master-2"], health.Of("kube-apiserver-stale").Select(p => p.Subject).ToList());

        // The old members say so in their logs (etcd logs to stderr, as crictl logs shows it).
        var id = (await lab.MustAsync("master-1", "sudo crictl ps --name '^etcd$' -q")).Single();
        var (_, _, logs) = await lab.RunAsync("master-1", $"sudo crictl logs {id}");
        var mismatch = logs.Single(l => l.Contains("request cluster ID mismatch", StringComparison.Ordinal));
        Assert.Equal(oldCluster, (string?)JsonNode.Parse(mismatch)!["local-member-cluster-id"]);
        // ... and each side sees a different cluster through etcdctl.
        var statuses = JsonNode.Parse((await lab.RunAsync("master-0", "etcdctl endpoint status -w json --hex")).Out.Single())!.AsArray();
        Assert.Equal(2, statuses.Select(s => (string?)s!["Status"]!["header"]!["cluster_id"]).Distinct().Count());
    }

    [Fact]
    public async Task Forgetting_to_stop_the_static_pods_on_one_host_leaves_its_old_etcd_member_and_api_server_running()
    {
        var lab = new Ocp4Harness("ocp4-critical-object-deleted");
        var steps = new DocumentSteps(lab);
        await steps.StopStaticPodsAsync("master-1");
        // master-2 forgotten.
        await steps.RestoreAsync("master-0");
        lab.Pass(TimeSpan.FromMinutes(2));

        var health = lab.Health();
        Assert.Equal("master-2", health.Of("etcd-cluster-id-mismatch").Single().Subject);
        Assert.Equal("master-2", health.Of("kube-apiserver-stale").Single().Subject);
        Assert.DoesNotContain(health.Problems, p => p.Subject == "master-1" && p.Code is "etcd-cluster-id-mismatch" or "kube-apiserver-stale");
    }

    [Fact]
    public async Task Restoring_a_backup_of_another_z_stream_makes_the_restore_pod_fail_and_the_api_stays_down()
    {
        var lab = new Ocp4Harness("ocp4-control-plane-majority-lost");
        lab.Model.WriteBackup("master-0", "/home/core/assets/backup-4.16.10", openShiftVersion: "4.16.10");
        var steps = new DocumentSteps(lab);

        var output = await steps.RestoreAsync("master-0", "/home/core/assets/backup-4.16.10"); // the script itself does not check
        Assert.Contains("starting restore-etcd static pod", output);
        lab.Pass(TimeSpan.FromMinutes(3));

        var health = lab.Health();
        var failed = health.Of("etcd-restore-failed").Single();
        Assert.Equal("master-0", failed.Subject);
        Assert.Contains("CrashLoopBackOff", failed.Message);
        Assert.Contains("the snapshot was taken on OpenShift 4.16.10 but this control plane runs 4.16.12", failed.Message);
        Assert.True(health.Has("api-unreachable") || health.Has("api-no-storage"), health.ToString());
        var (_, exited, _) = await lab.RunAsync("master-0", "sudo crictl ps -a --name '^etcd$'");
        Assert.Contains(exited.Skip(1), l => l.Contains("Exited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Running_the_recovery_scripts_without_sudo_is_refused()
    {
        var lab = new Ocp4Harness();
        var (code, stdout, _) = await lab.RunAsync("master-0", "/usr/local/bin/cluster-restore.sh /home/core/assets/backup");
        Assert.Equal((1, "This script must be run as root"), (code, stdout.Single()));
        (code, stdout, _) = await lab.RunAsync("master-0", "/usr/local/bin/cluster-backup.sh /home/core/assets/backup");
        Assert.Equal((1, "This script must be run as root"), (code, stdout.Single()));
        var (mvCode, _, mvError) = await lab.RunAsync("master-1", "mv -v /etc/kubernetes/manifests/etcd-pod.yaml /tmp");
        Assert.Equal((1, "mv: cannot move '/etc/kubernetes/manifests/etcd-pod.yaml' to '/tmp/etcd-pod.yaml': Permission denied"), (mvCode, mvError.Single()));
        Assert.True(lab.Health().Healthy);
    }

    [Fact]
    public async Task A_forced_etcd_rollout_on_a_single_member_is_held_by_the_quorum_guard_until_it_is_switched_off()
    {
        var lab = new Ocp4Harness("ocp4-control-plane-majority-lost");
        var steps = new DocumentSteps(lab);
        await steps.RestoreAsync("master-0");
        await lab.WaitUntilAsync("the API", async () => await steps.NotReadyNodesAsync() is not null);
        await steps.ClearKubeletPkiAsync("master-0");
        await steps.RestartKubeletAsync("master-0");
        await steps.ApproveCsrsUntilNonePendingAsync();

        // Skipping steps 15-16: force etcd with one member and the guard on.
        await steps.ForceRedeploymentAsync("etcds", "too-early");
        lab.Pass(TimeSpan.FromMinutes(5));
        var (reason, _) = await steps.NodeInstallerProgressingAsync("etcds");
        Assert.Equal("NodeInstaller", reason);
        Assert.Contains(lab.Health().Of("operator-not-at-latest-revision"), p => p.Message.Contains("EtcdQuorumGuard", StringComparison.Ordinal));

        await steps.QuorumGuardOffAsync();
        await lab.WaitUntilAsync("etcd rolled out on master-0", async () =>
            (await steps.EtcdPodsAsync()).Any(p => (string?)p["metadata"]!["name"] == "etcd-master-0" && (string?)p["metadata"]!["labels"]!["revision"] == "8"));
        Assert.False(lab.Health().Has("etcd-restore-pod"));
    }
}
