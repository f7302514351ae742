using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Lab.Scenarios;

namespace RecoveryConsole.Lab.Tests.Hosted;

/// <summary>
/// The hosted scenarios are offered, and staged, only on the cluster their faults act on (the source management
/// cluster): on the destination or the hosted cluster itself they used to be listed and then crash, refuse with an
/// internal message, or report "staged" while nothing changed.
/// </summary>
[Trait("Category", "Lab")]
public sealed class HostedScenarioPlacementTests
{
    private static LabClusterRegistry Estate() => new(new LabOptions { TimeScale = 1.0 }, new VirtualTimeProvider(), LabClusterCatalog.HostedControlPlanes());

    private static LabScenarios Scenarios() => new(Estate());

    [Fact]
    public void Hosted_scenarios_are_listed_on_the_source_management_cluster_only()
    {
        var scenarios = Scenarios();

        Assert.Equal(["hosted-etcd-member-corrupted", "hosted-management-upgrade-failed"],
            scenarios.ListFor(HostedEstate.SourceName).Select(s => s.Id).Order(StringComparer.Ordinal).ToList());
        Assert.Empty(scenarios.ListFor(HostedEstate.DestinationName));
        Assert.Empty(scenarios.ListFor(HostedEstate.HostedName));
    }

    [Theory]
    [InlineData(HostedEstate.DestinationName)]
    [InlineData(HostedEstate.HostedName)]
    public void Staging_elsewhere_is_refused_in_words_and_changes_nothing(string cluster)
    {
        var lab = Estate();
        var scenarios = new LabScenarios(lab);
        var before = scenarios.Apply(HostedEstate.SourceName, "hosted-management-upgrade-failed").Health.Problems.Select(p => p.Code).ToList();

        var refused = Assert.Throws<LabScenarioException>(() => scenarios.Apply(cluster, "hosted-etcd-member-corrupted"));

        Assert.Contains($"is staged on {HostedEstate.SourceName}, not on {cluster}", refused.Message, StringComparison.Ordinal);
        Assert.Null(scenarios.Active(cluster));
        Assert.Equal("hosted-management-upgrade-failed", scenarios.Active(HostedEstate.SourceName));
        Assert.Equal(before, RecoveryConsole.Lab.Health.LabHealth.Evaluate(lab.FindLab(HostedEstate.SourceName)!).Problems.Select(p => p.Code).ToList());
    }
}
