using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;

namespace RecoveryConsole.Orchestration.Tests.Actions;

/// <summary>copyBackupToHost's refusals, through RunService on the lab: sets that must never reach a recovery host.</summary>
[Trait("Category", "Lab")]
public sealed class CopyBackupToHostActionTests
{
    private const string Target = "/home/core/assets/copied";

    private const string CopyProcedure = """
        id: copy-stored-backup
        title: Copy a stored backup set to a host
        source: { document: 000_fa5c83705aa298d9.txt, section: "5.3.2.2" }
        parameters:
          - { name: backupSet, type: string }
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: directory, type: path }
        steps:
          - id: copy
            title: Copy the backup set
            section: "5.3.2.2 step 3"
            action:
              name: copyBackupToHost
              with: { backupSet: "{{ backupSet }}", host: "{{ target }}", directory: "{{ directory }}" }
        """;

    [Fact]
    public async Task A_set_of_another_cluster_is_refused()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, ["ocp4-etcd-backup"], [CopyProcedure]);
        var other = drill.Scenarios.CreateDrill();
        var set = await RestoreFromStoredBackupTests.BackupAsync(drill, "master-0", other.Info.Name);

        var run = await CopyAsync(drill, set);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains($"Backup set {set} was taken on cluster {other.Info.Name}, not {drill.ClusterName}", run.StatusReason);
        Assert.False(drill.Cluster.Host("master-0").FileSystem.DirectoryExists(Target));
    }

    [Fact]
    public async Task A_set_with_a_second_snapshot_is_refused()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, ["ocp4-etcd-backup"], [CopyProcedure]);
        var set = await RestoreFromStoredBackupTests.BackupAsync(drill, "master-0");
        // Another run labelled a file into the same set: the restore could not tell which snapshot is meant.
        var store = drill.Engine.Services.GetRequiredService<IArtifactStore>();
        await store.SaveAsync(Guid.NewGuid(), "snapshot_2020-01-01_000000.db", new MemoryStream("old"u8.ToArray()), "master-2:/tmp/snapshot_2020-01-01_000000.db",
            new Dictionary<string, string> { ["kind"] = "etcd-backup", ["cluster"] = drill.ClusterName, ["clusterVersion"] = "4.16.12", ["backupSet"] = set }, default);

        var run = await CopyAsync(drill, set);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains($"backup set {set} holds 2 snapshot_*.db and 1 static_kuberesources_*.tar.gz", run.StatusReason);
        Assert.False(drill.Cluster.Host("master-0").FileSystem.DirectoryExists(Target));
    }

    [Fact]
    public async Task A_set_that_does_not_exist_is_refused_by_name()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [CopyProcedure]);

        var run = await CopyAsync(drill, "lab-ocp4-20990101-000000");

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("no backup set 'lab-ocp4-20990101-000000'", run.StatusReason);
    }

    [Fact]
    public async Task Both_files_land_in_a_new_directory_with_the_stored_checksums()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, ["ocp4-etcd-backup"], [CopyProcedure]);
        var set = await RestoreFromStoredBackupTests.BackupAsync(drill, "master-1");

        var run = await CopyAsync(drill, set);

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var stored = await drill.Engine.Services.GetRequiredService<IArtifactStore>().FindAsync(new Dictionary<string, string> { ["backupSet"] = set }, default);
        var files = drill.Cluster.Host("master-0").FileSystem;
        Assert.Equal(stored.Select(a => a.Name).Order(), files.List(Target)!.Order());
        foreach (var artifact in stored)
        {
            Assert.True(files.TryGetSha256($"{Target}/{artifact.Name}", out var sha));
            Assert.Equal(artifact.Sha256, sha);
        }
    }

    private static async Task<Run> CopyAsync(ProcedureDrill drill, string set) =>
        await drill.DriveAsync(await drill.StartRunAsync("copy-stored-backup", new() { ["backupSet"] = set, ["target"] = "master-0", ["directory"] = Target }));
}
