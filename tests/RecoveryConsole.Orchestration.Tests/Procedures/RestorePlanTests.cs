using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>The plan a reviewer reads before the restore starts: hosts per step, commands with what is known now.</summary>
[Trait("Category", "Lab")]
public sealed class RestorePlanTests
{
    [Fact]
    public async Task The_plan_leaves_out_lost_hosts_and_shows_values_captured_later_in_words()
    {
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 0 }, TimeProvider.System);
        var yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "procedures", "ocp4-restore-previous-state.yaml"));
        await using var engine = await Support.Engine.StartAsync(lab, yaml);

        var plan = engine.Runs.Plan("ocp4-restore-previous-state", LabClusterCatalog.DemoClusterName,
            new Dictionary<string, string?> { ["recoveryHost"] = "master-0", ["lostHosts"] = "master-2" });

        var steps = plan.Steps.SelectMany(Flatten).ToList();
        Assert.Equal(["master-1"], steps.Single(s => s.Path == "stop-static-pods").Hosts);
        Assert.Equal(["master-0", "master-1", "worker-0", "worker-1"], steps.Single(s => s.Path == "restart-ovn-nodes").Hosts);
        var version = steps.Single(s => s.Path == "check-backup/backup-version").Commands.Single();
        Assert.Equal(("master-0", "sudo tar -xzOf /home/core/assets/backup/'⟨tarball⟩' '⟨version entry⟩'"), (version.Host, version.Text));
        Assert.StartsWith("sudo -E /usr/local/bin/cluster-restore.sh", steps.Single(s => s.Path == "run-restore").Commands.Single().Text);
    }

    private static IEnumerable<PlannedStep> Flatten(PlannedStep step) => step.Children.SelectMany(Flatten).Prepend(step);
}
