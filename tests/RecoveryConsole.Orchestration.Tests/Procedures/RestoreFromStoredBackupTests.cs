using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// Backup, disaster, restore from the console's store: ocp4-etcd-backup saves a backup of the healthy lab cluster, the
/// majority-lost scenario is staged afterwards (the cluster's hosts go back to their seed files, the console's store
/// stays), and ocp4-restore-previous-state restores the stored set copied onto an empty directory of master-0.
/// </summary>
[Trait("Category", "Lab")]
public sealed class RestoreFromStoredBackupTests
{
    private const string Backup = "ocp4-etcd-backup";
    private const string Restore = "ocp4-restore-previous-state";
    private const string Marker = "/api/v1/namespaces/shop/configmaps/taken-before-the-console-backup";
    private const string Target = "/home/core/assets/from-console";

    [Fact]
    public async Task A_backup_set_from_the_console_is_chosen_copied_onto_an_empty_directory_and_restored()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, Backup, Restore);
        // Only the console's backup holds this object: the seed backup already on master-0 does not.
        await CreateMarkerAsync(drill);
        var set = await BackupAsync(drill, "master-1");
        Assert.False(drill.Stage("ocp4-control-plane-majority-lost").Healthy);
        Assert.False(drill.Cluster.Host("master-0").FileSystem.DirectoryExists(Target));
        var offered = new List<InputRequest>();
        drill.Answer = (path, request) =>
        {
            if (path != "check-backup/choose-backup") return null;
            offered.Add(request);
            return null; // the preselected newest set
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(Restore, new()
        {
            ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2", ["backupSource"] = "console", ["backupDir"] = Target,
        }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
        var option = Assert.Single(Assert.Single(offered).Options);
        Assert.Equal(set, option.Value);
        Assert.True(option.Selected);
        Assert.Contains("OpenShift 4.16.12", option.Label);
        Assert.Equal(StepStatus.Skipped, run.FindStep("preflight/backup-pair")!.Status);
        var api = drill.Cluster.Connection.Api;
        Assert.Equal(200, (await api.SendAsync(new ApiRequest("GET", Marker), default)).Status);
        Assert.Equal(404, (await api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/team-sandbox"), default)).Status);
        // The files on master-0 are the stored ones, byte for byte.
        var stored = await drill.Engine.Services.GetRequiredService<IArtifactStore>().FindAsync(new Dictionary<string, string> { ["backupSet"] = set }, default);
        var files = drill.Cluster.Host("master-0").FileSystem;
        Assert.Equal(stored.Select(a => a.Name).Order(), files.List(Target)!.Order());
        foreach (var artifact in stored)
        {
            Assert.True(files.TryReadFile($"{Target}/{artifact.Name}", out var content));
            Assert.Equal(artifact.Sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))));
        }
    }

    [Fact]
    public async Task A_stored_file_altered_on_disk_is_refused_and_nothing_reaches_the_host()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, Backup, Restore);
        var set = await BackupAsync(drill, "master-0");
        var store = drill.Engine.Services.GetRequiredService<IArtifactStore>();
        var snapshot = (await store.FindAsync(new Dictionary<string, string> { ["backupSet"] = set }, default)).Single(a => a.Name.StartsWith("snapshot_", StringComparison.Ordinal));
        // One character changed, same length: only the SHA-256 tells.
        var path = Path.Combine(((FileArtifactStore)store).Root, snapshot.RunId.ToString("D"), snapshot.Name);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] = (byte)(bytes[^2] == (byte)'x' ? 'y' : 'x');
        await File.WriteAllBytesAsync(path, bytes);
        drill.Stage("ocp4-control-plane-majority-lost");

        var run = await drill.DriveAsync(await drill.StartRunAsync(Restore, new()
        {
            ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2", ["backupSource"] = "console", ["backupDir"] = Target,
        }));

        Assert.Equal(RunStatus.Failed, run.Status);
        var copy = run.FindStep("check-backup/copy-backup")!;
        Assert.Equal(StepStatus.Failed, copy.Status);
        Assert.Contains($"Artifact '{snapshot.Name}'", copy.Message);
        Assert.Contains("is corrupt: SHA-256 on disk", copy.Message);
        Assert.False(drill.Cluster.Host("master-0").FileSystem.DirectoryExists(Target), "nothing was copied");
        Assert.Empty(run.Approvals);
        Assert.True(drill.Health().Has("etcd-quorum-lost"), "the cluster is as it was");
    }

    [Fact]
    public async Task A_directory_that_already_holds_files_is_refused_and_the_on_host_preflight_does_not_apply()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, Backup, Restore);
        await BackupAsync(drill, "master-0");
        drill.Stage("ocp4-control-plane-majority-lost");

        // /home/core/assets/backup holds the seed backup: a second pair would make cluster-restore.sh pick by name.
        var run = await drill.DriveAsync(await drill.StartRunAsync(Restore, new()
        {
            ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2", ["backupSource"] = "console", ["backupDir"] = "/home/core/assets/backup",
        }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Skipped, run.FindStep("preflight/backup-pair")!.Status);
        Assert.Contains("master-0:/home/core/assets/backup is not empty", run.FindStep("check-backup/copy-backup")!.Message);
        Assert.Equal(2, drill.Cluster.Host("master-0").FileSystem.List("/home/core/assets/backup")!.Count);
        Assert.Empty(run.Approvals);
    }

    [Fact]
    public async Task Without_a_stored_backup_of_this_cluster_the_restore_stops_before_asking()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, Backup, Restore);
        // A backup of another lab cluster is in the store; it is not offered for this one.
        var other = drill.Scenarios.CreateDrill();
        await BackupAsync(drill, "master-0", other.Info.Name);
        drill.Stage("ocp4-control-plane-majority-lost");

        var run = await drill.DriveAsync(await drill.StartRunAsync(Restore, new()
        {
            ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2", ["backupSource"] = "console", ["backupDir"] = Target,
        }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains($"holds no backup of {drill.ClusterName}", run.StatusReason);
        Assert.Null(run.FindStep("check-backup/choose-backup")?.InputRequestJson);
        Assert.Empty(run.Approvals);
    }

    private static async Task CreateMarkerAsync(ProcedureDrill drill)
    {
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"taken-before-the-console-backup","namespace":"shop"},"data":{"note":"only in the console's backup"}}""";
        var created = await drill.Cluster.Connection.Api.SendAsync(new ApiRequest("POST", "/api/v1/namespaces/shop/configmaps", body, "application/json"), default);
        Assert.True(created.IsSuccess, created.Body);
    }

    /// <summary>Runs the backup procedure on a healthy cluster; returns the stored set's name.</summary>
    internal static async Task<string> BackupAsync(ProcedureDrill drill, string host, string? cluster = null)
    {
        var run = await drill.DriveAsync(await drill.StartRunAsync(Backup,
            new() { ["backupHost"] = host, ["backupDir"] = "/home/core/assets/backup-for-console" }, cluster));
        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var artifacts = await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default);
        return artifacts.Select(a => a.Labels["backupSet"]).Distinct().Single();
    }
}
