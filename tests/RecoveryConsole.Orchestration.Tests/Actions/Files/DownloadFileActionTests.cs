using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;

namespace RecoveryConsole.Orchestration.Tests.Actions.Files;

/// <summary>downloadFile through RunService: a lab host's file in the run's artifact store, its SHA-256 the host's.</summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class DownloadFileActionTests
{
    private const string Manifest = "/etc/kubernetes/manifests/etcd-pod.yaml";

    private const string DownloadProcedure = """
        id: download-file
        title: Download a file from a host
        source: { document: 001_a269d515094e3629.txt, section: "backing up a master host" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: path, type: path }
          - { name: name, type: string }
        steps:
          - id: download
            title: Bring the file to the console
            section: "backing up a master host"
            action:
              name: downloadFile
              with: { host: "{{ target }}", path: "{{ path }}", name: "{{ name }}", sudo: "true" }
            capture:
              savedAs: { output: artifact }
        """;

    [Fact]
    public async Task A_hosts_file_lands_in_the_runs_artifacts_with_the_hosts_checksum()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [DownloadProcedure]);
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryReadFile(Manifest, out var original));

        var run = await drill.DriveAsync(await drill.StartRunAsync("download-file", new()
        {
            ["target"] = "master-0", ["path"] = Manifest, ["name"] = "etcd-pod.yaml",
        }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var store = drill.Engine.Services.GetRequiredService<IArtifactStore>();
        var artifact = Assert.Single(await store.ListAsync(run.Id, CancellationToken.None));
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)));
        Assert.Equal(sha, artifact.Sha256);
        Assert.Equal($"master-0:{Manifest}", artifact.Origin);
        Assert.Equal("host-file", artifact.Labels["kind"]);
        await using (var stored = await store.OpenAsync(run.Id, "etcd-pod.yaml", CancellationToken.None))
            Assert.Equal(original, await new StreamReader(stored).ReadToEndAsync());
        Assert.Contains("etcd-pod.yaml", run.FindStep("download")!.OutputsJson);
        Assert.Contains(await drill.TranscriptAsync(run.Id), l => l.Text == $"master-0:{Manifest} -> artifact etcd-pod.yaml ({artifact.Bytes} bytes, sha256 {sha})");
    }

    [Fact]
    public async Task A_name_that_is_not_a_plain_file_name_fails_in_words_and_stores_nothing()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [DownloadProcedure]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("download-file", new()
        {
            ["target"] = "master-0", ["path"] = Manifest, ["name"] = "../etcd-pod.yaml",
        }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("contains a path separator", run.FindStep("download")!.Message);
        Assert.Empty(await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, CancellationToken.None));
    }
}
