using RecoveryConsole.Clusters.Drills;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>Game days on the embedded lab: staging a disaster and resetting, as the drill page does it.</summary>
[Trait("Category", "Lab")]
public sealed class DrillTests
{
    private static readonly Actor Olivia = new("olivia", [Roles.Operator]);

    [Fact]
    public async Task An_operator_stages_a_disaster_the_lab_reports_it_and_a_reset_heals_it()
    {
        await using var console = await TestConsole.StartAsync();
        var drills = console.Get<LabDrills>();
        Assert.True(drills.State("lab-ocp4").Health.Healthy, drills.State("lab-ocp4").Health.ToString());

        var health = await drills.StageAsync("lab-ocp4", "ocp4-control-plane-majority-lost", Olivia, CancellationToken.None);

        Assert.True(health.Has("etcd-quorum-lost"), health.ToString());
        Assert.Equal("ocp4-control-plane-majority-lost", drills.State("lab-ocp4").ActiveScenario);
        await drills.ResetAsync("lab-ocp4", Olivia, CancellationToken.None);
        Assert.True(drills.State("lab-ocp4").Health.Healthy);
        var audit = await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
        Assert.Equal(2, audit.Count(e => e.Kind == AuditKinds.LabScenario && e.Actor == "olivia"));
    }

    [Fact]
    public async Task Viewers_cannot_stage_and_nothing_changes_under_an_active_run()
    {
        await using var console = await TestConsole.StartAsync();
        var drills = console.Get<LabDrills>();

        await Assert.ThrowsAsync<NotAllowedException>(() =>
            drills.StageAsync("lab-ocp4", "ocp4-control-plane-majority-lost", new Actor("vera", [Roles.Viewer]), CancellationToken.None));

        var runs = console.Get<RunService>();
        var id = await runs.StartAsync(new StartRunRequest("sample-drill", "lab-ocp4", new Dictionary<string, string?> { ["recoveryHost"] = "master-0" }),
            Olivia, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!runs.IsActive(id) && DateTime.UtcNow < deadline) await Task.Delay(20);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            drills.StageAsync("lab-ocp4", "ocp4-control-plane-majority-lost", Olivia, CancellationToken.None));
        Assert.Contains(id.ToString(), refused.Message);
        Assert.True(drills.State("lab-ocp4").Health.Healthy);
        await runs.CancelAsync(id, Olivia, "test over", CancellationToken.None);
    }
}
