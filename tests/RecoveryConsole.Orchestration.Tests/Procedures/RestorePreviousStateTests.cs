using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// procedures/ocp4-restore-previous-state.yaml (000_fa5c83705aa298d9.txt 5.3.2.2) run through RunService against the
/// lab scenarios it recovers; the lab's health model decides whether the cluster is recovered.
/// </summary>
[Trait("Category", "Lab")]
public sealed class RestorePreviousStateTests
{
    private const string Procedure = "ocp4-restore-previous-state";

    [Fact]
    public async Task Majority_of_control_plane_hosts_lost_is_recovered_to_the_state_of_the_backup()
    {
        await using var drill = await ProcedureDrill.StartAsync("ocp4-control-plane-majority-lost", Procedure);
        Assert.False(drill.Health().Healthy);

        var id = await drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2" });
        var run = await drill.DriveAsync(id);

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var health = drill.Health();
        Assert.True(health.Healthy, health.ToString());
        // What the document promises: created after the backup is gone, deleted after it is back.
        var api = drill.Cluster.Connection.Api;
        Assert.Equal(404, (await api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/team-sandbox"), default)).Status);
        Assert.Equal(200, (await api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/shop/configmaps/storefront-config"), default)).Status);
        // Nothing was run on the lost hosts before their machines were re-created, and the API was not asked for a last-resort reason.
        Assert.Equal(StepStatus.Skipped, run.FindStep("choose-recovery-host/last-resort")!.Status);
        Assert.DoesNotContain(run.Steps, s => s.StepPath.StartsWith("stop-static-pods[", StringComparison.Ordinal));
        Assert.Contains(drill.Approved, a => a.StartsWith("Run the restore script", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deleted_namespace_is_restored_only_after_a_written_last_resort_reason_and_the_other_hosts_are_stopped_first()
    {
        await using var drill = await ProcedureDrill.StartAsync("ocp4-critical-object-deleted", Procedure);
        var reasons = new List<string>();
        drill.Answer = (path, request) =>
        {
            if (path != "choose-recovery-host/last-resort") return null;
            reasons.Add(request.Prompt);
            return ["The namespace shop and its payment secret exist nowhere else; the application team has no manifests."];
        };

        var id = await drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-0" });
        var run = await drill.DriveAsync(id);

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
        Assert.Contains("the documentation says not to", Assert.Single(reasons));
        Assert.Equal("olivia", run.FindStep("choose-recovery-host/last-resort")!.ConfirmedBy);
        var api = drill.Cluster.Connection.Api;
        Assert.Equal(200, (await api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/shop"), default)).Status);
        // The other control-plane hosts were stopped one by one, and the VIP master-1 held was released there.
        Assert.Equal(StepStatus.Succeeded, run.FindStep("stop-static-pods", "master-1")!.Status);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("stop-static-pods", "master-2")!.Status);
        Assert.True(run.Steps.Any(s => s.StepPath.StartsWith("stop-static-pods[master-1]/keepalived/delete-vip[192.0.2.5_32]", StringComparison.Ordinal) && s.Status == StepStatus.Succeeded),
            string.Join("\n", run.Steps.Where(s => s.StepPath.Contains("keepalived")).Select(s => $"{s.StepPath}@{s.Host} {s.Status} {s.Message} {s.OutputsJson}")));
    }

    [Fact]
    public async Task A_backup_of_another_z_stream_is_refused_before_anything_is_changed()
    {
        await using var drill = await ProcedureDrill.StartAsync("ocp4-control-plane-majority-lost", Procedure);
        drill.Cluster.Ocp4!.WriteBackup("master-0", "/home/core/assets/backup-4.16.10", openShiftVersion: "4.16.10");

        var id = await drill.StartRunAsync(Procedure, new()
        {
            ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2", ["backupDir"] = "/home/core/assets/backup-4.16.10",
        });
        var run = await drill.DriveAsync(id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("taken on OpenShift 4.16.10 but the cluster runs 4.16.12", run.StatusReason);
        Assert.Empty(run.Approvals);
        Assert.Null(run.FindStep("run-restore"));
        Assert.True(drill.Health().Has("etcd-quorum-lost"), "the cluster is as it was");
    }

    [Fact]
    public async Task The_recovery_hosts_machine_is_never_deleted_even_when_chosen()
    {
        await using var drill = await ProcedureDrill.StartAsync("ocp4-control-plane-majority-lost", Procedure);
        drill.Answer = (path, request) => path == "recreate-machines/choose" ? ["master-0", "master-1"] : null;

        var id = await drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2" });
        var run = await drill.DriveAsync(id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("never delete and re-create the recovery host", run.StatusReason);
        var machines = await drill.Cluster.Connection.Api.SendAsync(new ApiRequest("GET", "/apis/machine.openshift.io/v1beta1/namespaces/openshift-machine-api/machines"), default);
        Assert.Contains("\"master-0\"", machines.Body);
        Assert.Contains(drill.Approved, a => a.Contains("for master-0, master-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Declaring_running_hosts_lost_is_caught_by_the_vip_check_before_the_restore_script_runs()
    {
        await using var drill = await ProcedureDrill.StartAsync("ocp4-critical-object-deleted", Procedure);
        drill.Answer = (path, _) => path == "choose-recovery-host/last-resort" ? ["Wrongly believed master-1 and master-2 were gone for good."] : null;

        // master-1 and master-2 still run: calling them lost skips stopping their static pods and keepalived (step 4), so
        // master-1 keeps the API VIP and the restore would split etcd (the lab's etcd-cluster-id-mismatch).
        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-0", ["lostHosts"] = "master-1,master-2" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Skipped, run.FindStep("stop-static-pods")!.Status);
        Assert.Equal(StepStatus.Failed, run.FindStep("recovery-host-vip", "master-0")!.Status);
        Assert.Null(run.FindStep("run-restore"));
        var health = drill.Health();
        Assert.False(health.Has("etcd-cluster-id-mismatch"), health.ToString());
        Assert.False(health.Has("etcd-quorum-lost"), health.ToString());
    }
}
