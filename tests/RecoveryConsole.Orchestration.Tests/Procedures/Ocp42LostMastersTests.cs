using RecoveryConsole.Lab.Legacy.Ocp42;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// procedures/ocp42-lost-masters.yaml (003_28eb1c421f859d40.txt 3.2.1) through RunService on lab-ocp42 with the
/// ocp42-lost-masters scenario (master-1 and master-2 lost, a backup in /home/core/backup on master-0); the lab's
/// health decides whether the cluster is recovered.
/// </summary>
[Trait("Category", "Lab")]
public sealed class Ocp42LostMastersTests
{
    private const string Procedure = "ocp42-lost-masters";
    private const string Scenario = "ocp42-lost-masters";

    private static Task<ProcedureDrill> StartAsync() => ProcedureDrill.StartOnAsync("lab-ocp42", Scenario, [Procedure]);

    private static Ocp42Cluster Model(ProcedureDrill drill) => (Ocp42Cluster)drill.Cluster.Model!;

    private static Dictionary<string, string?> Parameters(ProcedureDrill drill, string? backupDir = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2", ["kubeadminPassword"] = Model(drill).KubeadminPassword,
        };
        if (backupDir is not null) parameters["backupDir"] = backupDir;
        return parameters;
    }

    /// <summary>The new masters come from the Machine API (the lab's machine-api operator re-creates them).</summary>
    private static IReadOnlyList<string>? MachineApi(string path, InputRequest request) => path == "new-masters/how" ? ["machineApi"] : null;

    [Fact]
    public async Task Lost_masters_are_recovered_to_full_etcd_membership_and_the_password_never_reaches_the_transcript()
    {
        await using var drill = await StartAsync();
        Assert.True(drill.Health().Has("etcd-quorum-lost"), drill.Health().ToString());
        var password = Model(drill).KubeadminPassword;
        var reviewed = new List<string>();
        drill.Answer = MachineApi;

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters(drill)));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var health = drill.Health();
        Assert.True(health.Healthy, health.ToString());
        // INITIAL_CLUSTER was a single member, reviewed before the restore used it.
        var initial = run.FindStep("initial-cluster")!;
        Assert.Contains("etcd-member-master-0=https://etcd-0.lab-ocp42.lab.example:2380", initial.OutputsJson);
        Assert.NotNull(initial.ConfirmedBy);
        // Every destructive step was approved by the second person: the restore, each CSR round, each member recovery.
        Assert.Contains(drill.Approved, a => a.StartsWith("Run etcd-snapshot-restore.sh", StringComparison.Ordinal));
        Assert.Contains(drill.Approved, a => a.StartsWith("Approve the chosen CSRs", StringComparison.Ordinal));
        Assert.Equal(2, drill.Approved.Count(a => a.StartsWith("Run etcd-member-recover.sh", StringComparison.Ordinal)));
        // The document's commands, with the member names and the signer's address.
        var lines = await drill.TranscriptAsync(run.Id);
        var text = string.Join('\n', lines.Select(l => l.Text));
        Assert.Contains("etcd-member-recover.sh 192.0.2.130 etcd-member-master-2", text);
        Assert.Contains("pod/etcd-signer created", text);
        Assert.Contains(lines, l => l.StepPath.StartsWith("add-members[master-2]/member-listed", StringComparison.Ordinal) && l.Text.Contains("| started | etcd-member-master-2", StringComparison.Ordinal));
        Assert.Contains("Login successful.", text);
        // The kubeadmin password: in no line, no step record, no reason.
        Assert.DoesNotContain(lines, l => l.Text.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Steps, s => $"{s.Command} {s.OutputsJson} {s.Message}".Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Approvals, a => (a.BindingText ?? "").Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(password, run.StatusReason ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_directory_without_both_files_is_refused_in_words_before_anything_runs()
    {
        await using var drill = await StartAsync();
        var master0 = drill.Cluster.Host("master-0").FileSystem;
        var snapshot = master0.FilesUnder("/home/core/backup").Single(f => f.EndsWith(".db", StringComparison.Ordinal));
        master0.TryReadFile(snapshot, out var content);
        master0.WriteFile("/home/core/partial/" + snapshot[(snapshot.LastIndexOf('/') + 1)..], content); // the snapshot only
        drill.Answer = MachineApi;

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters(drill, "/home/core/partial")));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("The backup directory /home/core/partial on master-0 must hold snapshot_<datetimestamp>.db and", run.StatusReason);
        Assert.Contains("Nothing was changed", run.StatusReason);
        Assert.Empty(run.Approvals);
        Assert.Null(run.FindStep("restore"));
        var health = drill.Health();
        Assert.True(health.Has("etcd-quorum-lost"), "the cluster is as it was: " + health);
    }

    [Fact]
    public async Task The_single_file_backup_of_4_3_0_and_4_3_1_is_accepted_and_restored_with_the_proxy_exported()
    {
        await using var drill = await StartAsync();
        var master0 = drill.Cluster.Host("master-0").FileSystem;
        var snapshot = master0.FilesUnder("/home/core/backup").Single(f => f.EndsWith(".db", StringComparison.Ordinal));
        master0.TryReadFile(snapshot, out var content);
        master0.WriteFile("/home/core/backup-430/snapshot_db_kuberesources_2020-01-15_120000.tar.gz", content);
        drill.Answer = MachineApi;

        // This cluster also has a cluster-wide proxy: its variables reach the restore script through sudo -E (step 1.4).
        var parameters = Parameters(drill, "/home/core/backup-430");
        parameters["httpProxy"] = "http://proxy.lab.example:3128";
        parameters["noProxy"] = ".cluster.local,.lab.example";

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, parameters));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
        var text = string.Join('\n', (await drill.TranscriptAsync(run.Id)).Select(l => l.Text));
        Assert.Contains("$ HTTP_PROXY=http://proxy.lab.example:3128 NO_PROXY=.cluster.local,.lab.example sudo -E /usr/local/bin/etcd-snapshot-restore.sh /home/core/backup-430 ", text);
    }

    [Fact]
    public async Task Csrs_left_unapproved_leave_the_new_masters_not_ready_and_the_run_says_so_before_etcd_is_touched_again()
    {
        await using var drill = await StartAsync();
        drill.Answer = (path, request) => path.EndsWith("/review", StringComparison.Ordinal) ? [] : MachineApi(path, request);

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters(drill)));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("still does not hold after 40 round(s)", run.StatusReason);
        Assert.Null(run.FindStep("signer"));
        var health = drill.Health();
        Assert.True(health.Has("csr-pending"), health.ToString());
        Assert.False(health.Has("etcd-quorum-lost"), "the single-member restore stands: " + health);
    }

    [Fact]
    public async Task A_wrong_kubeadmin_password_stops_the_run_at_the_signer_login_in_words_and_is_not_shown_either()
    {
        await using var drill = await StartAsync();
        drill.Answer = MachineApi;
        var parameters = Parameters(drill);
        parameters["kubeadminPassword"] = "wrong-kubeadmin-pass";

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, parameters));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Failed, run.FindStep("signer[master-0]/login", "master-0")!.Status);
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Text == "Login failed (401 Unauthorized)");
        Assert.DoesNotContain(lines, l => l.Text.Contains("wrong-kubeadmin-pass", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Steps, s => s.StepPath.StartsWith("add-members", StringComparison.Ordinal));
        // The restore and the new masters stand; etcd still has one member, and no signer pod was left behind.
        var health = drill.Health();
        Assert.Equal(["master-1", "master-2"], health.Of("etcd-member-missing").Select(p => p.Subject).ToList());
        Assert.False(health.Has("etcd-signer-running"), health.ToString());
    }
}
