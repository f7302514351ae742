using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>A procedure whose `applies` does not cover the cluster is refused by RunService, whatever the client.</summary>
[Trait("Category", "Lab")]
public sealed class ApplicabilityTests
{
    [Fact]
    public async Task The_4x_restore_is_refused_on_a_4_3_cluster_with_the_reason_and_an_audit_entry()
    {
        var ocp42 = LegacyClusterCatalog.Ocp42();
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 0 }, TimeProvider.System, [ocp42]);
        var yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "procedures", "ocp4-restore-previous-state.yaml"));
        await using var engine = await Support.Engine.StartAsync(lab, yaml);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.StartAsync(
            new StartRunRequest("ocp4-restore-previous-state", ocp42.Name, new Dictionary<string, string?> { ["recoveryHost"] = ocp42.Hosts[0].Name }),
            Support.Engine.Olivia, CancellationToken.None));

        Assert.Contains("4.12 and later", refused.Message);
        Assert.Contains(ocp42.Version, refused.Message);
        Assert.Null(engine.Runs.ActiveRunOn(ocp42.Name));
        Assert.Contains(await engine.Audit.ListAsync(null, CancellationToken.None), e => e.Kind == Audit.AuditKinds.RunRefused);
    }
}
