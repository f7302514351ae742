using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Legacy.Ocp42;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// procedures/ocp42-restore-previous-state.yaml (003_28eb1c421f859d40.txt 3.3.1) run through RunService against
/// lab-ocp42 with the scenario it recovers; the lab's health model decides whether the cluster is recovered.
/// </summary>
[Trait("Category", "Lab")]
public sealed partial class Ocp42RestorePreviousStateTests
{
    private const string Procedure = "ocp42-restore-previous-state";
    private const string Scenario = "ocp42-restore-previous-state";
    private const string Cluster = "lab-ocp42";
    private static readonly string[] Masters = ["master-0", "master-1", "master-2"];

    private const string InitialCluster =
        "etcd-member-master-0=https://etcd-0.lab-ocp42.lab.example:2380," +
        "etcd-member-master-1=https://etcd-1.lab-ocp42.lab.example:2380," +
        "etcd-member-master-2=https://etcd-2.lab-ocp42.lab.example:2380";

    [GeneratedRegex(@"^Started on 3 host\(s\) within ([0-9.]+) ms \(run clock: [0-9.]+ ms; limit 1s\): ")]
    private static partial Regex StartedLine();

    private static Ocp42Cluster Model(ProcedureDrill drill) => (Ocp42Cluster)drill.Cluster.Model!;

    private static Dictionary<string, string?> Parameters(string backupHost = "master-0") => new() { ["backupHost"] = backupHost };

    [Fact]
    public async Task The_deleted_namespace_is_back_after_a_restore_started_on_every_master_together()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [Procedure]);
        var staged = drill.Health();
        Assert.Contains(staged.Of("critical-object-missing"), p => p.Subject == "/api/v1/namespaces/shop");
        var oldCluster = Model(drill).LiveCluster!.Id;
        var reviewed = new List<string>();
        drill.Confirm = path =>
        {
            reviewed.Add(path);
            return "INITIAL_CLUSTER lists every master with its etcd-N peer URL";
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters()));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var health = drill.Health();
        Assert.True(health.Healthy, health.ToString());
        var api = drill.Cluster.Connection.Api;
        Assert.Equal(200, (await api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/shop"), default)).Status);
        Assert.Equal(200, (await api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/shop/secrets/payment-gateway"), default)).Status);
        // One new etcd cluster with every master in it.
        var live = Model(drill).LiveCluster!;
        Assert.NotEqual(oldCluster, live.Id);
        Assert.Equal(3, Model(drill).RunningMembers(live));
        // The same backup files on every master, and the reviewed INITIAL_CLUSTER passed literally to each restore.
        var source = drill.Cluster.Host("master-0").FileSystem.FilesUnder("/home/core/backup").Order().ToList();
        Assert.Equal(2, source.Count);
        foreach (var master in Masters)
        {
            Assert.Equal(source, drill.Cluster.Host(master).FileSystem.FilesUnder("/home/core/backup").Order().ToList());
            Assert.Equal(StepStatus.Succeeded, run.FindStep("run-restore", master)!.Status);
        }
        Assert.Equal(["initial-cluster/value"], reviewed);
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Text.StartsWith($"Reviewed and confirmed by olivia: initialCluster = {InitialCluster}", StringComparison.Ordinal));
        foreach (var master in Masters)
            Assert.Single(lines, l => l.StepPath == "run-restore" && l.Host == master && l.Text.StartsWith("$ sudo -E /usr/local/bin/etcd-snapshot-restore.sh /home/core/backup ", StringComparison.Ordinal) &&
                                      l.Text.Contains(InitialCluster, StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.StepPath == "run-restore" && l.Text.Contains("etcdserver/membership: added member", StringComparison.Ordinal)));
        Assert.Contains(drill.Approved, a => a.StartsWith("Run the restore script on all masters together", StringComparison.Ordinal));
        Assert.Equal(Ocp42Cluster.RenderedMaster, (string?)JsonNode.Parse(run.FindStep("machine-configs/current-config")!.OutputsJson!)!["values"]!["masterConfig"]);
    }

    [Fact]
    public async Task The_masters_start_the_restore_within_one_second_with_the_proxy_variables_and_the_skew_is_recorded()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [Procedure]);
        var parameters = Parameters();
        parameters["httpProxy"] = "http://proxy.lab.example:3128";
        parameters["httpsProxy"] = "http://proxy.lab.example:3128";
        parameters["noProxy"] = ".cluster.local,.svc,192.0.2.0/24";

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, parameters));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var skew = (double)JsonNode.Parse(run.FindStep("run-restore")!.OutputsJson!)!["values"]!["startSkewMs"]!;
        Assert.InRange(skew, 0, 999.999);
        var started = Assert.Single(await drill.TranscriptAsync(run.Id), l => StartedLine().IsMatch(l.Text));
        Assert.InRange(double.Parse(StartedLine().Match(started.Text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0, 999.999);
        Assert.All(Masters, m => Assert.Contains($"{m} +", started.Text, StringComparison.Ordinal));
        // Step 1.4: the cluster-wide proxy's variables reach the script through sudo -E on every master.
        var restores = (await drill.TranscriptAsync(run.Id)).Where(l => l.StepPath == "run-restore" && l.Text.StartsWith("$ ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, restores.Count);
        Assert.All(restores, l => Assert.StartsWith(
            "$ HTTP_PROXY=http://proxy.lab.example:3128 HTTPS_PROXY=http://proxy.lab.example:3128 NO_PROXY=.cluster.local,.svc,192.0.2.0/24 sudo -E /usr/local/bin/etcd-snapshot-restore.sh ",
            l.Text, StringComparison.Ordinal));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
    }

    [Fact]
    public async Task A_master_whose_backup_directory_holds_other_files_is_refused_in_words_and_nothing_is_restored()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [Procedure]);
        drill.Cluster.Host("master-2").FileSystem.WriteFile("/home/core/backup/snapshot_2024-01-01_000000.db", "etcd-snapshot backup=older\n");
        var before = Masters.ToDictionary(m => m, m => Model(drill).DataOf(drill.Cluster.Host(m)));

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters()));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("/home/core/backup on master-2 holds other files than the backup on master-0", run.StatusReason);
        Assert.Contains("Nothing was restored", run.StatusReason);
        Assert.Empty(run.Approvals);
        Assert.Null(run.FindStep("run-restore"));
        foreach (var master in Masters) Assert.Equal(before[master], Model(drill).DataOf(drill.Cluster.Host(master)));
        // The older snapshot is still there: the console adds the backup's files and removes nothing.
        Assert.True(drill.Cluster.Host("master-2").FileSystem.FileExists("/home/core/backup/snapshot_2024-01-01_000000.db"));
    }

    [Fact]
    public async Task A_master_without_a_started_member_is_named_before_initial_cluster_is_built()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [Procedure]);
        // master-2's etcd-member static pod is stopped: etcd keeps its quorum, but the member list shows it unstarted.
        drill.Cluster.Host("master-2").FileSystem.Delete(Ocp42Cluster.EtcdManifest);

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters()));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("master-2 runs no started etcd member (etcdctl member list on master-0)", run.StatusReason);
        Assert.Null(run.FindStep("initial-cluster/value"));
        Assert.Null(run.FindStep("run-restore"));
        Assert.Empty(run.Approvals);
    }

    [Fact]
    public async Task A_master_lost_before_the_restore_means_no_master_starts_it_and_etcd_is_untouched()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [Procedure]);
        var before = Masters.ToDictionary(m => m, m => Model(drill).DataOf(drill.Cluster.Host(m)));
        // master-2 loses power while the operator reviews INITIAL_CLUSTER, after the backup was staged on it.
        drill.Confirm = _ =>
        {
            drill.Cluster.Host("master-2").Reachable = false;
            return "INITIAL_CLUSTER checked";
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters()));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Failed, run.FindStep("run-restore")!.Status);
        Assert.StartsWith("None started: master-2 is unreachable", run.StatusReason);
        Assert.Contains("nothing was run on 3 host(s) (master-0, master-1, master-2)", run.StatusReason);
        foreach (var master in Masters) Assert.Null(run.FindStep("run-restore", master));
        // etcd's data on every master is what it was: same cluster, same member, never restored.
        foreach (var master in Masters)
            Assert.Equal(before[master], Model(drill).DataOf(drill.Cluster.Host(master)));
        Assert.DoesNotContain(await drill.TranscriptAsync(run.Id), l => l.Text.Contains("Restoring etcd member", StringComparison.Ordinal));
        Assert.True(drill.Health().Has("critical-object-missing"), "the namespace is still missing: nothing was restored");
    }

    [Theory]
    [InlineData("master-1", false)] // a master that never had the backup
    [InlineData("master-0", true)]  // the backup's master, its static_kuberesources_*.tar.gz lost
    public async Task A_source_master_without_the_backup_files_is_refused_before_anything_is_copied(string source, bool loseResources)
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [Procedure]);
        var files = drill.Cluster.Host("master-0").FileSystem;
        if (loseResources) files.Delete(files.FilesUnder("/home/core/backup").Single(f => f.Contains("static_kuberesources_", StringComparison.Ordinal)));
        var before = Masters.ToDictionary(m => m, m => Model(drill).DataOf(drill.Cluster.Host(m)));

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters(source)));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Failed, run.FindStep("preflight/backup-files")!.Status);
        Assert.Contains($"/home/core/backup on {source} must contain snapshot_<datetimestamp>.db and", run.StatusReason);
        Assert.Contains("Nothing was copied or restored", run.StatusReason);
        Assert.Empty(run.Approvals);
        Assert.Null(run.FindStep("stage-backup"));
        Assert.Null(run.FindStep("run-restore"));
        AssertNothingChanged(drill, before);
    }

    private static void AssertNothingChanged(ProcedureDrill drill, Dictionary<string, Ocp42EtcdData?> before)
    {
        foreach (var master in new[] { "master-1", "master-2" })
            Assert.Empty(drill.Cluster.Host(master).FileSystem.FilesUnder("/home/core/backup"));
        foreach (var master in Masters)
            Assert.Equal(before[master], Model(drill).DataOf(drill.Cluster.Host(master)));
    }
}
