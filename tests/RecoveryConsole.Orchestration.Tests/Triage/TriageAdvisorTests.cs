using RecoveryConsole.Orchestration.Triage;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Tests.Triage;

public sealed class TriageAdvisorTests
{
    private const string Current = "000_fa5c83705aa298d9.txt";

    private static Procedure P(string id, string document, string section, string versions = ">=4.12", string product = "openshift") => new()
    {
        Id = id, Title = id, Source = new SourceReference(document, section), Applies = new Applicability { Product = product, Versions = versions },
    };

    private static readonly Procedure Backup = P("ocp4-etcd-backup", Current, "5.3.2.2 step 1");
    private static readonly Procedure Restore = P("ocp4-restore-previous-state", Current, "5.3.2.2");
    private static readonly Procedure Certificates = P("ocp4-expired-certificates", Current, "5.3.3");
    private static readonly Procedure[] Catalog = [Backup, Restore, Certificates];

    private static TriageObservations Ocp4(int healthy = 3) => new()
    {
        ClusterName = "lab-ocp4", Version = "4.16.12", ControlPlaneHosts = 3, HealthyControlPlaneHosts = healthy,
    };

    private static TriageRecommendation Advise(TriageObservations o, params Procedure[] catalog) =>
        new TriageAdvisor(catalog.Length == 0 ? Catalog : catalog).Recommend(o);

    private static string Recommended(TriageRecommendation r) => Assert.Single(r.Procedures, p => p.Role == "recommended").Procedure.Id;

    [Fact]
    public void Majority_lost_recommends_the_restore_and_a_backup_of_the_same_z_stream()
    {
        var r = Advise(Ocp4(healthy: 1) with { ApiAnswers = true, ApiServesData = false });

        Assert.Equal(TriageOutcome.RunProcedure, r.Outcome);
        Assert.Equal("ocp4-restore-previous-state", Recommended(r));
        Assert.Contains(r.Reasons, x => x.Contains("same z-stream", StringComparison.Ordinal));
    }

    [Fact]
    public void Etcd_without_quorum_is_a_lost_majority_even_when_every_host_answers()
    {
        var r = Advise(Ocp4() with { EtcdQuorum = false });

        Assert.Equal("ocp4-restore-previous-state", Recommended(r));
    }

    [Fact]
    public void Majority_lost_with_expired_certificates_restores_first_then_recovers_the_certificates()
    {
        var r = Advise(Ocp4(healthy: 1) with { CertificatesExpired = true });

        Assert.Equal("ocp4-restore-previous-state", Recommended(r));
        Assert.Equal("ocp4-expired-certificates", Assert.Single(r.Procedures, p => p.Role == "then").Procedure.Id);
    }

    [Fact]
    public void Quorum_with_one_member_down_replaces_the_member_and_does_not_restore()
    {
        var r = Advise(Ocp4(healthy: 2) with { EtcdQuorum = true, ApiServesData = true });

        Assert.Equal(TriageOutcome.NotARestore, r.Outcome);
        Assert.Contains("Replace the single unhealthy etcd member", r.Headline);
        Assert.Contains(r.Reasons, x => x.Contains("5.3.1", StringComparison.Ordinal) && x.Contains("do not restore", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Procedures, p => p.Procedure.Id == "ocp4-restore-previous-state");
        Assert.Equal("ocp4-etcd-backup", Assert.Single(r.Procedures).Procedure.Id);
    }

    [Fact]
    public void A_deletion_while_the_api_serves_data_is_recreated_from_source_and_the_restore_is_only_the_last_resort()
    {
        var r = Advise(Ocp4() with { ApiAnswers = true, ApiServesData = true, CriticalObjectDeleted = true });

        Assert.Equal(TriageOutcome.NotARestore, r.Outcome);
        Assert.Contains(r.Reasons, x => x.Contains("last resort (5.3.2.1, warning)", StringComparison.Ordinal));
        Assert.Contains(r.Reasons, x => x.Contains("re-create what was deleted from its source", StringComparison.Ordinal));
        Assert.Equal("ocp4-restore-previous-state", Assert.Single(r.Procedures, p => p.Role == "last resort").Procedure.Id);
        Assert.Equal("ocp4-etcd-backup", Assert.Single(r.Procedures, p => p.Role == "first").Procedure.Id);
    }

    [Fact]
    public void Expired_certificates_point_to_their_procedure_not_to_a_restore()
    {
        var r = Advise(Ocp4() with { ApiAnswers = false, CertificatesExpired = true });

        Assert.Equal(TriageOutcome.RunProcedure, r.Outcome);
        Assert.Equal("ocp4-expired-certificates", Recommended(r));
        Assert.DoesNotContain(r.Procedures, p => p.Procedure.Id == "ocp4-restore-previous-state");
    }

    [Fact]
    public void No_healthy_control_plane_host_means_no_documented_recovery()
    {
        var r = Advise(Ocp4(healthy: 0));

        Assert.Equal(TriageOutcome.CannotRecover, r.Outcome);
        Assert.Contains(r.Reasons, x => x.Contains("at least one healthy control-plane host (5.3.1)", StringComparison.Ordinal));
        Assert.Empty(r.Procedures);
    }

    [Fact]
    public void A_healthy_cluster_needs_nothing_but_a_backup()
    {
        var r = Advise(Ocp4() with { ApiAnswers = true, ApiServesData = true, CriticalObjectDeleted = false, CertificatesExpired = false });

        Assert.Equal(TriageOutcome.NothingToRecover, r.Outcome);
        Assert.Equal("ocp4-etcd-backup", Recommended(r));
    }

    [Fact]
    public void An_api_that_does_not_serve_with_quorum_asks_about_certificates()
    {
        var r = Advise(Ocp4() with { EtcdQuorum = true, ApiAnswers = false });

        Assert.Equal(TriageOutcome.NeedAnswers, r.Outcome);
        Assert.Contains(r.MissingAnswers, q => q.Contains("certificate has expired", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_answers_it_lists_the_questions_that_decide()
    {
        var r = Advise(new TriageObservations { ClusterName = "lab-ocp4", Version = "4.16.12", ControlPlaneHosts = 3 });

        Assert.Equal(TriageOutcome.NeedAnswers, r.Outcome);
        Assert.Equal(5, r.MissingAnswers.Count);
    }

    [Fact]
    public void An_unknown_release_asks_for_it()
    {
        var r = Advise(Ocp4(healthy: 1) with { Version = "" });

        Assert.Equal(TriageOutcome.NeedAnswers, r.Outcome);
        Assert.Contains("Which release does the cluster run?", r.MissingAnswers);
    }

    [Fact]
    public void A_matching_procedure_that_does_not_apply_to_the_release_is_not_offered_and_the_reason_is_given()
    {
        var r = Advise(Ocp4(healthy: 1) with { ClusterName = "old", Version = "4.8.2" });

        Assert.Equal(TriageOutcome.NoProcedureYet, r.Outcome);
        Assert.Empty(r.Procedures);
        Assert.Contains(r.NotApplicable, x => x.Contains("OpenShift 4.12 and later; old runs 4.8.2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_catalog_without_a_restore_file_says_none_is_available_yet()
    {
        var r = Advise(Ocp4(healthy: 1), Backup, Certificates);

        Assert.Equal(TriageOutcome.NoProcedureYet, r.Outcome);
        Assert.Contains(r.Reasons, x => x.Contains("No procedure file for 000_fa5c83705aa298d9.txt section 5.3.2", StringComparison.Ordinal));
    }

    [Fact]
    public void The_preferred_procedure_comes_first_when_several_files_cite_the_section()
    {
        var sample = P("a-sample", Current, "5.3.2.2");
        var r = Advise(Ocp4(healthy: 1), sample, Restore);

        Assert.Equal(["ocp4-restore-previous-state", "a-sample"], r.Procedures.Select(p => p.Procedure.Id));
    }

    [Fact]
    public void OpenShift_4_3_uses_its_own_documents_lost_masters_procedure_when_present()
    {
        var lost = P("ocp42-lost-masters", "003_28eb1c421f859d40.txt", "3.2.1", "4.2-4.3");
        var o = Ocp4(healthy: 1) with { ClusterName = "lab-ocp42", Version = "4.3.40" };

        Assert.Equal("ocp42-lost-masters", Recommended(Advise(o, [.. Catalog, lost])));
        var none = Advise(o);
        Assert.Equal(TriageOutcome.NoProcedureYet, none.Outcome);
        Assert.Contains(none.Reasons, x => x.Contains("003_28eb1c421f859d40.txt section 3.2", StringComparison.Ordinal));
    }

    [Fact]
    public void OpenShift_3_11_with_quorum_links_the_remove_an_etcd_host_procedure_and_has_none_for_a_lost_majority()
    {
        var remove = P("ocp311-remove-etcd-host", "001_a269d515094e3629.txt", "5.2.1.3, 5.2.1.4", "3.11");
        var o = new TriageObservations { ClusterName = "lab-ocp311", Version = "3.11.157", ControlPlaneHosts = 3, HealthyControlPlaneHosts = 2, EtcdQuorum = true };

        var backup = P("ocp311-backup-etcd", "001_a269d515094e3629.txt", "5.2.1.2", "3.11");
        var member = Advise(o, [.. Catalog, remove, backup]);
        Assert.Equal(TriageOutcome.NotARestore, member.Outcome);
        Assert.Equal("ocp311-remove-etcd-host", Recommended(member));
        // While etcd still has quorum, its backup comes first (the 3.11 backup procedure, not a 4.x one).
        Assert.Equal(("ocp311-backup-etcd", "first"), (member.Procedures[0].Procedure.Id, member.Procedures[0].Role));

        var lost = Advise(o with { HealthyControlPlaneHosts = 1, EtcdQuorum = false }, [.. Catalog, remove]);
        Assert.Equal(TriageOutcome.NoProcedureYet, lost.Outcome);
        Assert.Contains(lost.Reasons, x => x.Contains("none is available yet", StringComparison.Ordinal));
    }

    [Fact]
    public void A_hosted_cluster_points_to_the_hosted_documents_and_never_to_the_standalone_restore()
    {
        var onPrem = P("hcp-etcd-restore", "004_76627d8e46f61c97.txt", "8.3.1", ">=4.14", "hypershift-hosted");
        var o = new TriageObservations { ClusterName = "lab-hosted-1", Product = "hypershift-hosted", Version = "4.16.12", HostedControlPlane = true, EtcdQuorum = false };

        var r = Advise(o, [.. Catalog, onPrem]);
        Assert.Equal(TriageOutcome.RunProcedure, r.Outcome);
        Assert.Equal("hcp-etcd-restore", Recommended(r));

        var none = Advise(o);
        Assert.Equal(TriageOutcome.NoProcedureYet, none.Outcome);
        Assert.Empty(none.Procedures);
        Assert.Contains(none.Reasons, x => x.Contains("No hosted-control-plane procedure file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_management_cluster_on_AWS_prefers_moving_the_hosted_cluster()
    {
        var move = P("hcp-aws-move", "002_dc66a8ea9facaa02.txt", "8.6", "", "hypershift-management");
        var o = new TriageObservations
        {
            ClusterName = "lab-mgmt-a", Product = "hypershift-management", Version = "4.16.12", HostedControlPlane = true,
            Facts = new Dictionary<string, string> { ["platform"] = "AWS", ["managementCluster"] = "true" },
        };

        Assert.Equal("hcp-aws-move", Recommended(Advise(o, [.. Catalog, move])));
    }
}
