using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;

namespace RecoveryConsole.Orchestration.Tests.Actions;

/// <summary>copyFile through RunService on the lab: host to host through the console, verified, no temporary file left.</summary>
[Trait("Category", "Lab")]
public sealed class CopyFileActionTests
{
    private const string Manifest = "/etc/kubernetes/manifests/etcd-pod.yaml";

    private const string CopyProcedure = """
        id: copy-file
        title: Copy a file between hosts
        source: { document: 000_fa5c83705aa298d9.txt, section: "5.3.2.2" }
        parameters:
          - { name: fromHost, type: host, from: controlPlaneHosts }
          - { name: path, type: path }
          - { name: toHost, type: host, from: controlPlaneHosts }
          - { name: toPath, type: path }
          - { name: sudo, type: string, default: "true" }
        steps:
          - id: copy
            title: Copy the file
            section: "5.3.2.2 step 4"
            action:
              name: copyFile
              with: { fromHost: "{{ fromHost }}", path: "{{ path }}", toHost: "{{ toHost }}", toPath: "{{ toPath }}", sudo: "{{ sudo }}", mode: "0600" }
            capture:
              copiedSha: { output: sha256 }
        """;

    [Fact]
    public async Task A_root_owned_file_is_copied_to_another_host_with_the_same_checksum()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [CopyProcedure]);
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryReadFile(Manifest, out var original));
        var before = TempFiles();

        var run = await drill.DriveAsync(await drill.StartRunAsync("copy-file", new()
        {
            ["fromHost"] = "master-0", ["path"] = Manifest, ["toHost"] = "master-2", ["toPath"] = "/root/from-master-0/etcd-pod.yaml",
        }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(drill.Cluster.Host("master-2").FileSystem.TryReadFile("/root/from-master-0/etcd-pod.yaml", out var copied));
        Assert.Equal(original, copied);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)));
        Assert.Contains(sha, run.FindStep("copy")!.OutputsJson);
        Assert.Contains(await drill.TranscriptAsync(run.Id), l => l.Text.StartsWith("console -> master-2:/root/from-master-0/etcd-pod.yaml", StringComparison.Ordinal) && l.Text.Contains(sha));
        Assert.Equal(before, TempFiles());
    }

    [Fact]
    public async Task A_write_refused_by_the_target_fails_the_step_and_leaves_no_temporary_file()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [CopyProcedure]);
        var before = TempFiles();

        // Without sudo, /root on the target is not writable for core.
        var run = await drill.DriveAsync(await drill.StartRunAsync("copy-file", new()
        {
            ["fromHost"] = "master-0", ["path"] = Manifest, ["toHost"] = "master-1", ["toPath"] = "/root/etcd-pod.yaml", ["sudo"] = "false",
        }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("Permission denied", run.FindStep("copy")!.Message);
        Assert.False(drill.Cluster.Host("master-1").FileSystem.FileExists("/root/etcd-pod.yaml"));
        Assert.Equal(before, TempFiles());
    }

    [Fact]
    public async Task A_missing_source_fails_the_step_with_the_hosts_answer()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [CopyProcedure]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("copy-file", new()
        {
            ["fromHost"] = "master-0", ["path"] = "/etc/kubernetes/manifests/gone.yaml", ["toHost"] = "master-1", ["toPath"] = "/tmp/gone.yaml",
        }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("/etc/kubernetes/manifests/gone.yaml does not exist on master-0", run.FindStep("copy")!.Message);
        Assert.False(drill.Cluster.Host("master-1").FileSystem.FileExists("/tmp/gone.yaml"));
    }

    private static string[] TempFiles() =>
        Directory.GetFiles(Path.GetTempPath(), "rc-copyfile-*").Order(StringComparer.Ordinal).ToArray();
}
