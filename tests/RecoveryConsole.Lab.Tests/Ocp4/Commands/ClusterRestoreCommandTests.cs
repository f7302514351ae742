using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

[Trait("Category", "Lab")]
public sealed class ClusterRestoreCommandTests
{
    [Fact]
    public async Task Up_to_4_17_it_stops_and_restarts_all_four_control_plane_pods_with_the_documented_output()
    {
        var lab = new Ocp4Harness("ocp4-control-plane-majority-lost");
        var lines = await lab.MustAsync("master-0", "sudo -E /usr/local/bin/cluster-restore.sh /home/core/assets/backup");

        Assert.Equal("etcdctl is already installed", lines[0]);
        Assert.Matches("""^\{"hash":\d+,"revision":\d+,"totalKey":\d+,"totalSize":\d+\}$""", lines[1]);
        Assert.Equal(
        [
            "...stopping kube-apiserver-pod.yaml",
            "...stopping kube-controller-manager-pod.yaml",
            "...stopping kube-scheduler-pod.yaml",
            "...stopping etcd-pod.yaml",
        ], lines[2..6]);
        var waits = lines[6..18];
        string[] containers = ["etcd", "etcdctl", "etcd-metrics", "kube-controller-manager", "kube-apiserver", "kube-scheduler"];
        for (var i = 0; i < containers.Length; i++)
        {
            Assert.Equal($"Waiting for container {containers[i]} to stop", waits[2 * i]);
            Assert.Matches(@"^\.*complete$", waits[2 * i + 1]);
        }
        Assert.True(waits[9].Length > 60, "kube-apiserver takes about two minutes to shut down"); // one dot per second
        Assert.Equal(
        [
            "Moving etcd data-dir /var/lib/etcd/member to /var/lib/etcd-backup",
            "starting restore-etcd static pod",
            "starting kube-apiserver-pod.yaml",
            "static-pod-resources/kube-apiserver-pod-7/kube-apiserver-pod.yaml",
            "starting kube-controller-manager-pod.yaml",
            "static-pod-resources/kube-controller-manager-pod-7/kube-controller-manager-pod.yaml",
            "starting kube-scheduler-pod.yaml",
            "static-pod-resources/kube-scheduler-pod-7/kube-scheduler-pod.yaml",
        ], lines[18..]);
        Assert.Equal(["etcd-pod.yaml", "kube-apiserver-pod.yaml", "kube-controller-manager-pod.yaml", "kube-scheduler-pod.yaml"],
            await lab.MustAsync("master-0", "sudo ls /home/core/assets/manifests-stopped"));
        Assert.Equal(["member", "snapshot.db"], await lab.MustAsync("master-0", "sudo ls /var/lib/etcd-backup"));
    }

    [Fact]
    public async Task From_4_18_it_stops_and_restarts_only_etcd()
    {
        var lab = new Ocp4Harness("ocp4-control-plane-majority-lost", version: "4.18.4");
        var kas = Assert.Single(await lab.MustAsync("master-0", "sudo crictl ps --label io.kubernetes.container.name=kube-apiserver -q"));
        var lines = await lab.MustAsync("master-0", "sudo -E /usr/local/bin/cluster-restore.sh /home/core/assets/backup");

        Assert.Equal(["...stopping etcd-pod.yaml"], lines.Where(l => l.StartsWith("...stopping", StringComparison.Ordinal)));
        Assert.Equal(
            ["Waiting for container etcd to stop", "Waiting for container etcdctl to stop", "Waiting for container etcd-metrics to stop", "Waiting for container etcd-readyz to stop", "Waiting for container etcd-rev to stop"],
            lines.Where(l => l.StartsWith("Waiting", StringComparison.Ordinal)));
        Assert.Equal("starting restore-etcd static pod", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("starting kube", StringComparison.Ordinal));
        Assert.Equal([kas], await lab.MustAsync("master-0", "sudo crictl ps --label io.kubernetes.container.name=kube-apiserver -q"));
    }

    [Fact]
    public async Task Without_a_snapshot_or_a_directory_it_stops_before_touching_anything()
    {
        var lab = new Ocp4Harness();
        await lab.MustAsync("master-0", "mkdir -p /home/core/empty");
        var (code, stdout, stderr) = await lab.RunAsync("master-0", "sudo -E /usr/local/bin/cluster-restore.sh /home/core/empty");
        Assert.Equal((1, "etcd snapshot  does not exist"), (code, stdout.Single()));
        Assert.Contains("ls: cannot access '/home/core/empty/snapshot*.db': No such file or directory", stderr);

        (code, stdout, _) = await lab.RunAsync("master-0", "sudo -E /usr/local/bin/cluster-restore.sh /home/core/nowhere");
        Assert.Equal(1, code);
        Assert.Equal("Path to the directory containing backup files is required: ./cluster-restore.sh <path-to-backup>", stdout[0]);
        Assert.True(lab.Health().Healthy);
    }

    [Fact]
    public async Task A_damaged_snapshot_is_refused()
    {
        var lab = new Ocp4Harness();
        var files = lab.Cluster.Host("master-0").FileSystem;
        var name = files.List("/home/core/assets/backup")!.Single(n => n.EndsWith(".db", StringComparison.Ordinal));
        files.TryReadFile("/home/core/assets/backup/" + name, out var text);
        files.WriteFile("/home/core/assets/backup/" + name, Regex.Replace(text, "\"currency\":\"EUR\"", "\"currency\":\"USD\""));

        var (code, stdout, stderr) = await lab.RunAsync("master-0", "sudo -E /usr/local/bin/cluster-restore.sh /home/core/assets/backup");
        Assert.Equal(1, code);
        Assert.Equal("Backup integrity verification failed. Backup appears corrupted. Aborting!", stdout[^1]);
        Assert.Contains("Error: invalid database", stderr);
        Assert.True(lab.Health().Healthy);
    }
}
