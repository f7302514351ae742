using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Orchestration.Triage;

namespace RecoveryConsole.Orchestration.Tests.Triage;

public sealed class TriageObservationsTests
{
    private static readonly ClusterInfo Cluster = new()
    {
        Name = "c", Version = "4.16.12",
        Hosts = [new("m0", "a", [HostRoles.ControlPlane]), new("m1", "b", [HostRoles.ControlPlane]), new("m2", "c", [HostRoles.ControlPlane]), new("w0", "d", [HostRoles.Worker])],
    };

    private static TriageFindings Found(params Reachability[] states) => new()
    {
        ControlPlaneHosts = Cluster.ControlPlaneHosts.Zip(states, (h, s) => new HostReach(h, s)).ToList(),
        Api = new ApiFindings(true, false, false, "GET /version: 200"),
    };

    [Fact]
    public void What_the_console_found_fills_what_the_operator_did_not_answer()
    {
        var o = TriageObservations.Combine(Cluster, new TriageAnswers(), Found(Reachability.Unreachable, Reachability.Reachable, Reachability.Unreachable));

        Assert.Equal(3, o.ControlPlaneHosts);
        Assert.Equal(1, o.HealthyControlPlaneHosts);
        Assert.True(o.ApiAnswers);
        Assert.False(o.ApiServesData);
        Assert.Null(o.CertificatesExpired); // not seeing an expired certificate proves nothing
        Assert.Equal("m1", o.SuggestedRecoveryHost);
    }

    [Fact]
    public void The_operators_answers_win_over_the_checks()
    {
        var o = TriageObservations.Combine(Cluster, new TriageAnswers { HealthyControlPlaneHosts = 3, ApiServesData = true, Version = "4.14.1" },
            Found(Reachability.Reachable, Reachability.Unreachable, Reachability.Unreachable));

        Assert.Equal(3, o.HealthyControlPlaneHosts);
        Assert.True(o.ApiServesData);
        Assert.Equal("4.14.1", o.Version);
    }

    [Fact]
    public void Hosts_still_being_checked_do_not_count()
    {
        var o = TriageObservations.Combine(Cluster, new TriageAnswers(), Found(Reachability.Reachable, Reachability.Checking, Reachability.Unreachable));

        Assert.Null(o.HealthyControlPlaneHosts);
    }

    [Fact]
    public void An_expired_certificate_seen_by_the_api_check_counts_and_hosted_facts_mark_a_hosted_cluster()
    {
        var hosted = Cluster with { Facts = new Dictionary<string, string> { ["hostedControlPlane"] = "true" } };
        var o = TriageObservations.Combine(hosted, new TriageAnswers(), new TriageFindings { Api = new ApiFindings(false, false, true, "x509") });

        Assert.True(o.CertificatesExpired);
        Assert.True(o.HostedControlPlane);
    }
}
