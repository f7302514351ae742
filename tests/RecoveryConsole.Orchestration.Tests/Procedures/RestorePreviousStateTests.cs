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
}
