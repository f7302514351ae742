using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>procedures/ocp4-etcd-backup.yaml through RunService on a healthy lab cluster.</summary>
[Trait("Category", "Lab")]
public sealed class EtcdBackupTests
{
    private const string Procedure = "ocp4-etcd-backup";

    [Fact]
    public async Task The_backup_is_checked_and_both_files_are_stored_in_the_console_with_their_checksums_and_version()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, Procedure);
        const string directory = "/home/core/assets/backup-drill";

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, new() { ["backupHost"] = "master-1", ["backupDir"] = directory }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var artifacts = await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default);
        Assert.Equal(2, artifacts.Count);
        var host = drill.Cluster.Host("master-1").FileSystem;
        foreach (var artifact in artifacts)
        {
            Assert.True(host.TryReadFile($"{directory}/{artifact.Name}", out var content));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))), artifact.Sha256);
            Assert.Equal("4.16.12", artifact.Labels["clusterVersion"]);
            Assert.Equal("etcd-backup", artifact.Labels["kind"]);
            Assert.Equal($"master-1:{directory}/{artifact.Name}", artifact.Origin);
        }
        Assert.Single(artifacts.Select(a => a.Labels["backupSet"]).Distinct());
        Assert.Contains(artifacts, a => a.Name.StartsWith("snapshot_", StringComparison.Ordinal));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
    }

    [Fact]
    public async Task A_backup_into_a_directory_that_already_holds_a_backup_stops_before_copying()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, Procedure);

        // The directory already holds an older backup: a second pair would make it ambiguous for a restore.
        drill.Cluster.Ocp4!.WriteBackup("master-0", "/home/core/assets/backup-old");
        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, new() { ["backupHost"] = "master-0", ["backupDir"] = "/home/core/assets/backup-old" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Failed, run.FindStep("check-files/list", "master-0")!.Status);
        Assert.Empty(await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default));
    }
}
