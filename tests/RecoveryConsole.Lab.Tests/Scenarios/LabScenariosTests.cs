using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Lab.Tests.Scenarios;

[Trait("Category", "Lab")]
public sealed class LabScenariosTests
{
    [Fact]
    public void The_three_ocp4_scenarios_ship_as_data_with_their_procedure()
    {
        var scenarios = LabScenarioCatalog.Default.All.Where(s => s.Model == "ocp4").ToList(); // other models ship their own
        Assert.Equal(["ocp4-control-plane-majority-lost", "ocp4-critical-object-deleted", "ocp4-expired-control-plane-certificates"], scenarios.Select(s => s.Id).ToList());
        Assert.All(scenarios, s =>
        {
            Assert.Equal("ocp4", s.Model);
            Assert.Equal("000_fa5c83705aa298d9.txt", s.Procedure!.Document);
            Assert.NotEmpty(s.Faults);
            Assert.False(string.IsNullOrWhiteSpace(s.Description));
        });
        Assert.Equal(["5.3.2.2", "5.3.2.2", "5.3.3"], scenarios.Select(s => s.Procedure!.Section).ToList());
        Assert.Equal([false, true, false], scenarios.Select(s => s.LastResort).ToList());
        var lost = scenarios[0];
        Assert.Equal(["createObject", "deleteObject", "rotateKubeletCertificates", "loseHost", "loseHost"], lost.Faults.Select(f => f.Type).ToList());
        Assert.Equal("master-2", lost.Faults[^1].String("host"));
    }

    [Fact]
    public void Apply_starts_from_a_fresh_cluster_and_reset_makes_it_healthy_again()
    {
        var lab = new Ocp4Harness();
        var first = lab.Scenarios.Apply("lab-ocp4", "ocp4-control-plane-majority-lost");
        Assert.True(first.Health.Has("etcd-quorum-lost"));
        Assert.Equal("ocp4-control-plane-majority-lost", lab.Scenarios.Active("lab-ocp4"));

        var second = lab.Scenarios.Apply("lab-ocp4", "ocp4-critical-object-deleted");
        Assert.False(second.Health.Has("host-down")); // the first scenario's faults are gone
        Assert.True(second.Health.Has("critical-object-missing"));

        lab.Scenarios.Reset("lab-ocp4");
        Assert.Null(lab.Scenarios.Active("lab-ocp4"));
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        Assert.True(lab.Cluster.Hosts.All(h => h.Reachable));
    }

    [Fact]
    public async Task A_drill_gets_a_fresh_cluster_of_its_own_that_the_console_sees_as_simulated()
    {
        var lab = new Ocp4Harness();
        var drill = lab.Scenarios.CreateDrill("ocp4-expired-control-plane-certificates");

        Assert.Equal("lab-ocp4-drill-1", drill.Info.Name);
        IClusterRegistry registry = lab.Registry;
        Assert.Equal(["lab-ocp4", "lab-ocp4-drill-1"], registry.List().Select(c => c.Name).ToList());
        Assert.All(registry.List(), c => Assert.True(c.IsSimulated));
        Assert.True(lab.Health().Healthy); // the demo cluster is untouched
        await Assert.ThrowsAsync<RecoveryConsole.Orchestration.Transports.ApiUnreachableException>(() =>
            registry.Find("lab-ocp4-drill-1")!.Api.SendAsync(new("GET", "/api/v1/nodes"), CancellationToken.None));
        Assert.True(lab.Registry.Remove("lab-ocp4-drill-1"));
        Assert.Null(registry.Find("lab-ocp4-drill-1"));
    }

    [Fact]
    public void Bad_scenarios_are_refused_with_what_is_wrong()
    {
        var lab = new Ocp4Harness();
        var unknown = Assert.Throws<LabScenarioException>(() => lab.Scenarios.Apply("lab-ocp4", "no-such-scenario"));
        Assert.Contains("ocp4-critical-object-deleted", unknown.Message);

        var catalog = LabScenarioCatalog.FromAssembly();
        catalog.Load("""
            id: broken
            model: ocp4
            title: A fault nobody simulates
            faults:
              - type: meteorStrike
            """);
        var scenarios = new LabScenarios(lab.Registry, catalog);
        var error = Assert.Throws<LabScenarioException>(() => scenarios.Apply("lab-ocp4", "broken"));
        Assert.Contains("unknown fault type 'meteorStrike'", error.Message);
        Assert.Contains("loseHost", error.Message);
        Assert.True(lab.Health().Healthy); // nothing was applied

        var yaml = Assert.Throws<LabScenarioException>(() => LabScenarioCatalog.Parse("id: x\ntitle: [unclosed", "x.yaml"));
        Assert.StartsWith("x.yaml(", yaml.Message);
        Assert.Contains("'model' is required", Assert.Throws<LabScenarioException>(() => LabScenarioCatalog.Parse("id: x\ntitle: t\n", "y.yaml")).Message);
    }

    [Fact]
    public void Add_lab_registers_the_scenarios_service()
    {
        using var provider = new ServiceCollection().AddLab(o => o.TimeScale = 0).BuildServiceProvider();
        var scenarios = provider.GetRequiredService<LabScenarios>();
        Assert.Equal(3, scenarios.ListFor(LabClusterCatalog.DemoClusterName).Count);
    }
}
