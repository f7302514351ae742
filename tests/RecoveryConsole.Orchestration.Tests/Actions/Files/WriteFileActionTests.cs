using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;

namespace RecoveryConsole.Orchestration.Tests.Actions.Files;

/// <summary>writeFile through RunService on a lab host: atomically in place, the old file kept, the content never in the transcript.</summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class WriteFileActionTests
{
    private const string Path = "/etc/kubernetes/recovery/etcd.env";

    private const string WriteProcedure = """
        id: write-file
        title: Write a file on a host
        source: { document: 003_28eb1c421f859d40.txt, section: "3.2.1" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: path, type: path }
          - { name: members, type: string }
          - { name: password, type: string, secret: true }
        steps:
          - id: write
            title: Write the environment file
            section: "3.2.1 step 5"
            action:
              name: writeFile
              with:
                host: "{{ target }}"
                path: "{{ path }}"
                sudo: "true"
                content: |
                  INITIAL_CLUSTER={{ members }}
                  ETCDCTL_PASSWORD={{ password }}
            capture:
              writtenSha: { output: sha256 }
        """;

    [Fact]
    public async Task A_file_is_written_from_its_template_and_the_previous_one_is_kept_as_a_backup()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [WriteProcedure]);
        var files = drill.Cluster.Host("master-0").FileSystem;
        files.WriteFile(Path, "INITIAL_CLUSTER=old\n");

        var run = await drill.DriveAsync(await drill.StartRunAsync("write-file", new()
        {
            ["target"] = "master-0", ["path"] = Path, ["members"] = "etcd-member-m0=https://10.0.0.5:2380", ["password"] = "s3cr3t-Pa55word",
        }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var expected = "INITIAL_CLUSTER=etcd-member-m0=https://10.0.0.5:2380\nETCDCTL_PASSWORD=s3cr3t-Pa55word\n";
        Assert.True(files.TryReadFile(Path, out var written));
        Assert.Equal(expected, written);
        var backup = $"{Path}.bak-{run.Id.ToString("N")[..8]}";
        Assert.True(files.TryReadFile(backup, out var kept), "the previous file is kept");
        Assert.Equal("INITIAL_CLUSTER=old\n", kept);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        Assert.Contains(sha, run.FindStep("write")!.OutputsJson);
        var transcript = await drill.TranscriptAsync(run.Id);
        Assert.Contains(transcript, l => l.Text.Contains($"the previous file kept as {backup}", StringComparison.Ordinal));
        Assert.DoesNotContain(transcript, l => l.Text.Contains("s3cr3t-Pa55word", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_file_gets_no_backup()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [WriteProcedure]);
        var files = drill.Cluster.Host("master-1").FileSystem;

        var run = await drill.DriveAsync(await drill.StartRunAsync("write-file", new()
        {
            ["target"] = "master-1", ["path"] = Path, ["members"] = "m1", ["password"] = "another-secret-1",
        }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(files.FileExists(Path));
        Assert.DoesNotContain(files.FilesUnder("/etc/kubernetes/recovery"), f => f.Contains(".bak-", StringComparison.Ordinal));
        Assert.Contains(await drill.TranscriptAsync(run.Id), l => l.Text.EndsWith(", a new file", StringComparison.Ordinal));
    }
}
