using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

/// <summary>What a backup procedure runs after cluster-backup.sh to check its result: ls, etcdctl snapshot status, tar.</summary>
[Trait("Category", "Lab")]
public sealed class BackupInspectionTests
{
    private const string Etcdctl = "/etc/kubernetes/static-pod-resources/bin/etcdctl";
    private const string Dir = "/home/core/assets/backup";
    private const string Snapshot = Dir + "/snapshot_2024-09-01_090000.db";
    private const string Tarball = Dir + "/static_kuberesources_2024-09-01_090000.tar.gz";
    private const string VersionMember = "static-pod-resources/kube-apiserver-pod-7/configmaps/kube-apiserver-pod/version";
    private readonly Ocp4Harness _lab = new();

    private async Task BackupAsync(string host = "master-1")
    {
        _lab.Pass(TimeSpan.FromHours(1)); // 09:00:00
        var stdout = await _lab.MustAsync(host, $"sudo -E /usr/local/bin/cluster-backup.sh {Dir}");
        Assert.Equal($"snapshot db and kube resources are successfully saved to {Dir}", stdout[^1]);
    }

    [Fact]
    public async Task Sudo_E_backup_then_ls_1_lists_both_files_one_per_line()
    {
        await BackupAsync();
        Assert.Equal(["snapshot_2024-09-01_090000.db", "static_kuberesources_2024-09-01_090000.tar.gz"], await _lab.MustAsync("master-1", $"sudo ls -1 {Dir}"));
    }

    [Fact]
    public async Task The_downloaded_etcdctl_reads_the_snapshot_as_a_table_and_as_json()
    {
        await BackupAsync();
        var (code, table, stderr) = await _lab.RunAsync("master-1", $"sudo {Etcdctl} snapshot status {Snapshot} -w table");
        Assert.Equal(0, code);
        Assert.Equal(["Deprecated: Use `etcdutl snapshot status` instead.", ""], stderr);
        Assert.Equal(5, table.Count);
        Assert.Matches(@"^\+-+\+-+\+-+\+-+\+$", table[0]);
        Assert.Matches(@"^\| +HASH +\| REVISION \| TOTAL KEYS \| TOTAL SIZE \|$", table[1]);
        var cells = table[3].Split('|', StringSplitOptions.TrimEntries);

        var (_, json, _) = await _lab.RunAsync("master-1", $"sudo {Etcdctl} snapshot status {Snapshot} -w json");
        var status = JsonNode.Parse(json.Single())!.AsObject();
        Assert.Equal(["hash", "revision", "totalKey", "totalSize"], status.Select(p => p.Key).ToList());
        Assert.Equal(((uint)status["hash"]!).ToString("x", System.Globalization.CultureInfo.InvariantCulture), cells[1]);
        Assert.Equal(((long)status["revision"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), cells[2]);
        Assert.Equal(((long)status["totalKey"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), cells[3]);
    }

    [Fact]
    public async Task A_missing_or_corrupt_snapshot_fails_like_etcdctl()
    {
        await BackupAsync();
        var (code, _, stderr) = await _lab.RunAsync("master-1", $"sudo {Etcdctl} snapshot status {Dir}/snapshot_nope.db -w table");
        Assert.Equal((1, $"Error: stat {Dir}/snapshot_nope.db: no such file or directory"), (code, stderr[^1]));

        _lab.Cluster.Host("master-1").FileSystem.TryReadFile(Snapshot, out var text);
        _lab.Cluster.Host("master-1").FileSystem.WriteFile(Snapshot, text[..(text.Length / 2)]); // a copy cut short
        (code, _, stderr) = await _lab.RunAsync("master-1", $"sudo {Etcdctl} snapshot status {Snapshot} -w json");
        Assert.Equal((1, "Error: invalid database"), (code, stderr[^1]));
    }

    [Fact]
    public async Task Etcdctl_by_path_is_not_found_where_no_script_downloaded_it()
    {
        // master-2 never ran a backup or restore: the binary is not there.
        var (code, _, stderr) = await _lab.RunAsync("master-2", $"sudo {Etcdctl} snapshot status /home/core/x.db -w table");
        Assert.Equal((1, $"sudo: {Etcdctl}: command not found"), (code, stderr.Single()));
        (code, _, stderr) = await _lab.RunAsync("master-2", $"{Etcdctl} version");
        Assert.Equal((127, $"bash: {Etcdctl}: No such file or directory"), (code, stderr.Single()));

        await BackupAsync("master-2");
        Assert.Equal(["etcdctl version: 3.5.14", "API version: 3.5"], await _lab.MustAsync("master-2", $"sudo {Etcdctl} version"));
    }

    [Fact]
    public async Task Tar_lists_the_static_pod_resources_and_prints_the_release_version_of_the_backup()
    {
        await BackupAsync();
        var members = await _lab.MustAsync("master-1", $"sudo tar -tzf {Tarball}");
        Assert.Equal("static-pod-resources/", members[0]);
        Assert.Contains("static-pod-resources/kube-apiserver-pod-7/", members);
        Assert.Contains("static-pod-resources/kube-apiserver-pod-7/kube-apiserver-pod.yaml", members);
        Assert.Contains("static-pod-resources/etcd-pod-7/etcd-pod.yaml", members);
        Assert.Contains(VersionMember, members);
        Assert.True(members.IndexOf("static-pod-resources/kube-apiserver-pod-7/") < members.IndexOf(VersionMember)); // a directory before what is in it

        Assert.Equal(["4.16.12"], await _lab.MustAsync("master-1", $"sudo tar -xzOf {Tarball} {VersionMember}"));
        var pod = await _lab.MustAsync("master-1", $"sudo tar -xzOf {Tarball} static-pod-resources/etcd-pod-7/etcd-pod.yaml");
        Assert.Contains(pod, l => l.Contains("kind: Pod", StringComparison.Ordinal));
        Assert.Equal(["4.16.12"], await _lab.MustAsync("master-1", $"sudo tar xzf {Tarball} -O {VersionMember}")); // old-style flags
    }

    [Fact]
    public async Task Tar_fails_with_gnu_tar_messages_and_status_2()
    {
        await BackupAsync();
        var host = _lab.Cluster.Host("master-1").FileSystem;
        host.WriteFile("/home/core/plain.tar.gz", "not an archive\n");

        await FailsAsync($"sudo tar -tzf {Dir}/nope.tar.gz", $"tar: {Dir}/nope.tar.gz: Cannot open: No such file or directory", "tar: Error is not recoverable: exiting now");
        await FailsAsync("sudo tar -tzf /home/core/plain.tar.gz", "", "gzip: stdin: not in gzip format", "tar: Child returned status 1", "tar: Error is not recoverable: exiting now");
        await FailsAsync("sudo tar -tf /home/core/plain.tar.gz", "tar: This does not look like a tar archive", "tar: Exiting with failure status due to previous errors");
        await FailsAsync($"sudo tar -xzOf {Tarball} static-pod-resources/nope", "tar: static-pod-resources/nope: Not found in archive", "tar: Exiting with failure status due to previous errors");
    }

    private async Task FailsAsync(string command, params string[] stderr)
    {
        var (code, stdout, err) = await _lab.RunAsync("master-1", command);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Equal(stderr, err);
    }

    [Fact]
    public async Task A_backup_from_another_z_stream_says_so_in_its_version_configmap()
    {
        _lab.Model.WriteBackup("master-0", "/home/core/old", openShiftVersion: "4.16.8");
        var tarball = (await _lab.MustAsync("master-0", "sudo ls -1 /home/core/old")).Single(n => n.EndsWith(".tar.gz", StringComparison.Ordinal));
        Assert.Equal(["4.16.8"], await _lab.MustAsync("master-0", $"sudo tar -xzOf /home/core/old/{tarball} {VersionMember}"));
        // The host's own revision keeps the running release.
        Assert.Equal(["4.16.12"], await _lab.MustAsync("master-0", $"sudo cat /etc/kubernetes/{VersionMember}"));
    }
}
