using RecoveryConsole.Procedures.ApplicabilityRules;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Triage;

/// <summary>
/// From what the operator observed (and the console checked) to the document's answer: which procedure, or which
/// action that is not a restore. The order of the checks is the document's: no healthy control-plane host means no
/// documented recovery (5.3.1); a lost majority needs a restore (5.3.2.2); expired certificates their own procedure
/// (5.3.3); with quorum, one bad member is replaced, never restored (5.3.1 note); while the API serves data a restore
/// is the last resort (5.3.2.1 warning). Procedures are found in the catalog by source document and section, and
/// offered only where their <c>applies</c> covers the cluster.
/// </summary>
public sealed class TriageAdvisor(IReadOnlyList<Procedure> catalog)
{
    private const string QuestionApi = "Does the Kubernetes API answer, and can it read data?";
    private const string QuestionHosts = "How many control-plane hosts are healthy and reachable?";
    private const string QuestionQuorum = "Does etcd have quorum?";
    private const string QuestionCertificates = "Do clients see x509 \"certificate has expired\"?";
    private const string QuestionDeleted = "Did someone delete something critical?";
    private const string QuestionRelease = "Which release does the cluster run?";

    private sealed record Wanted(string Document, string? Section, string Role, string Why);

    public TriageRecommendation Recommend(TriageObservations o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.HostedControlPlane == true) return Hosted(o);
        if (ReleaseFamily.Of(o.Version) is not { } family)
            return new TriageRecommendation(TriageOutcome.NeedAnswers, "Say which release the cluster runs",
                ["Every recovery procedure is written for particular releases; the stored inventory has no version for this cluster."])
            { MissingAnswers = [QuestionRelease] };

        var healthy = o.HealthyControlPlaneHosts;
        var majority = o.ControlPlaneHosts is { } total ? total / 2 + 1 : (int?)null;
        var majorityLost = o.EtcdQuorum == false || (healthy < majority);
        var quorumHolds = !majorityLost && (o.EtcdQuorum == true || healthy >= majority);
        var someUnhealthy = healthy < o.ControlPlaneHosts;

        if (healthy == 0) return NoHealthyHost(family);
        if (majorityLost) return MajorityLost(o, family);
        if (o.CertificatesExpired == true) return CertificatesExpired(o, family);
        if (o.CriticalObjectDeleted == true && (quorumHolds || o.ApiServesData == true)) return DeletedWhileServing(o, family);
        if (quorumHolds && someUnhealthy) return ReplaceMember(o, family);
        if (quorumHolds && (o.ApiAnswers == false || o.ApiServesData == false))
            return new TriageRecommendation(TriageOutcome.NeedAnswers, "etcd has quorum but the API does not serve: look at the certificates",
                ["With quorum and every control-plane host healthy a restore is not the answer (5.3.1 note).",
                 "An API that does not answer after a long shutdown usually presents expired certificates: check what clients report."])
            { MissingAnswers = [QuestionCertificates] };
        if (o.ApiServesData == true && !someUnhealthy && o.CriticalObjectDeleted == false && o.CertificatesExpired != true)
            return Healthy(o, family);
        return new TriageRecommendation(TriageOutcome.NeedAnswers, "Answer the open questions to get a recommendation",
            ["The answers so far do not decide between a restore, a member replacement, a certificate recovery or doing nothing."])
        { MissingAnswers = Missing(o) };
    }

    private static TriageRecommendation NoHealthyHost(ReleaseFamily family) =>
        new(TriageOutcome.CannotRecover, "No healthy control-plane host: no documented recovery applies",
            [$"Disaster recovery needs at least one healthy control-plane host ({Cite(family, "5.3.1")}). Bring one back (power, network, disk) and check again; otherwise the cluster must be rebuilt."]);

    private TriageRecommendation MajorityLost(TriageObservations o, ReleaseFamily family)
    {
        var reasons = new List<string>
        {
            $"A majority of the control-plane hosts is lost (or etcd says it has no quorum): the cluster is offline and only a restore from an etcd backup brings it back ({Cite(family, "5.3.1")}).",
        };
        if (family == ReleaseFamily.Current)
            reasons.Add("You need an etcd backup taken from the same z-stream release: a 4.16.12 cluster needs a backup taken on 4.16.12 (5.3.2.2, important).");
        reasons.Add("Run it on a healthy control-plane host that keeps its data; the other control-plane machines are re-created afterwards.");
        var wanted = new List<Wanted>();
        if (family.LostMajoritySection is { } section)
            wanted.Add(new(family.Document, section, "recommended", "Restores the cluster from the backup on the recovery host."));
        if (o.CertificatesExpired == true && family.CertificatesSection is { } certs)
        {
            reasons.Add($"Certificates have expired too: after the restore, recover them ({CiteSection(family, certs)}); a restore may need it (5.3.1).");
            wanted.Add(new(family.Document, certs, "then", "Recovers the expired control-plane certificates after the restore."));
        }
        return Advise(o, TriageOutcome.RunProcedure, "Restore the cluster to a previous state", reasons, wanted,
            family.LostMajoritySection is null ? $"The {family.Name} document here has no procedure for a lost majority: none is available yet." : null, family);
    }

    private TriageRecommendation CertificatesExpired(TriageObservations o, ReleaseFamily family)
    {
        List<string> reasons =
        [
            "Clients see expired certificates: the cluster was probably off past its first certificate rotation (24 hours after installation) or a later one.",
            $"This is not a restore: recover the certificates ({(family.CertificatesSection is { } c ? CiteSection(family, c) : Cite(family, "5.3.3"))}); the control plane renews its own, the kubelets' CSRs must be approved.",
        ];
        var wanted = family.CertificatesSection is { } section
            ? new List<Wanted> { new(family.Document, section, "recommended", "Approves the pending CSRs so that the kubelets get new certificates.") }
            : [];
        return Advise(o, TriageOutcome.RunProcedure, "Recover from expired control-plane certificates", reasons, wanted,
            family.CertificatesSection is null ? $"The {family.Name} document here has no procedure for expired certificates: none is available yet." : null, family);
    }

    private TriageRecommendation DeletedWhileServing(TriageObservations o, ReleaseFamily family)
    {
        List<string> reasons =
        [
            "The Kubernetes API still serves data, so etcd is available: do not restore from an etcd backup (5.3.2.1).",
            "Restoring to a previous cluster state is a destructive and unstable action on a running cluster; use it only as a last resort (5.3.2.1, warning). Everything done since the backup is lost, and the other control-plane machines must be re-created.",
            "First re-create what was deleted from its source: GitOps, the manifests in version control, the owning team.",
        ];
        var wanted = new List<Wanted>();
        if (family.BackupProcedureId is not null) wanted.Add(new("", null, "first", "Back up etcd now, before anything else changes."));
        if (family.RestoreSection is { } section)
            wanted.Add(new(family.Document, section, "last resort", "Only if re-creating from the source is impossible and losing everything since the backup is accepted."));
        return Advise(o, TriageOutcome.NotARestore, "The API still serves data: re-create what was deleted; a restore is the last resort", reasons, wanted, null, family);
    }

    private TriageRecommendation ReplaceMember(TriageObservations o, ReleaseFamily family)
    {
        List<string> reasons =
        [
            $"etcd has quorum and a majority of the control-plane hosts is available: replace the single unhealthy etcd member, do not restore ({Cite(family, "5.3.1")}, note).",
            "A restore would throw away everything since the backup to fix something the cluster can still fix while running.",
        ];
        var wanted = new List<Wanted>();
        if (family.BackupProcedureId is not null) wanted.Add(new("", null, "first", "Back up etcd while it has quorum."));
        if (family.EtcdMemberSection is { } section)
            wanted.Add(new(family.Document, section, "recommended", "Removes the failed etcd member and every reference to it."));
        return Advise(o, TriageOutcome.NotARestore, "Replace the single unhealthy etcd member; do not restore", reasons, wanted, null, family);
    }

    private TriageRecommendation Healthy(TriageObservations o, ReleaseFamily family)
    {
        var wanted = family.BackupProcedureId is null ? new List<Wanted>() : [new Wanted("", null, "recommended", "A fresh backup is what every future restore needs.")];
        return Advise(o, TriageOutcome.NothingToRecover, "Nothing to recover: take a backup while the cluster is healthy",
            ["Every control-plane host answers, the API serves data and nothing critical was deleted."], wanted, null, family);
    }

    private TriageRecommendation Hosted(TriageObservations o)
    {
        var onAws = o.Facts.GetValueOrDefault("platform")?.Equals("AWS", StringComparison.OrdinalIgnoreCase) == true ||
            o.Facts.GetValueOrDefault("managementCluster") == "true";
        var aws = new Wanted(ReleaseFamily.HostedAwsDocument, null, onAws ? "recommended" : "if on AWS",
            "On AWS, a hosted cluster whose management cluster fails is moved to another management cluster: back up etcd to S3 and the objects, restore them on the new management cluster (8.6).");
        var onPremises = new Wanted(ReleaseFamily.HostedOnPremisesDocument, null, onAws ? "if on premises" : "recommended",
            "On premises, the hosted cluster's etcd is restored from a snapshot in its control-plane namespace; it needs API downtime (8.3.1).");
        List<string> reasons =
        [
            "A hosted control plane runs as pods on a management cluster: the standalone procedures (5.3.2, 5.3.3) do not apply to it.",
            onAws ? "The cluster is on AWS or is a management cluster: the AWS document's procedure moves the hosted cluster away."
                  : "The cluster is not known to be on AWS: the on-premises etcd backup and restore comes first.",
        ];
        return Advise(o, TriageOutcome.RunProcedure, "Recover the hosted control plane with its own documents' procedures", reasons,
            onAws ? [aws, onPremises] : [onPremises, aws], "No hosted-control-plane procedure file is in the catalog yet: none is available.");
    }

    /// <summary>Finds the wanted procedures; when none fits, the outcome becomes NoProcedureYet (with what does not apply).</summary>
    private TriageRecommendation Advise(TriageObservations o, TriageOutcome outcome, string headline, List<string> reasons, IReadOnlyList<Wanted> wanted,
        string? missingWhat, ReleaseFamily? family = null)
    {
        var fit = new List<ProcedureAdvice>();
        var unfit = new List<string>();
        foreach (var w in wanted)
        {
            var matches = w.Document.Length == 0 && family?.BackupProcedureId is { } backupId
                ? catalog.Where(p => p.Id == backupId)
                : catalog.Where(p => p.Source.Document == w.Document && (w.Section is null || SourceSections.Matches(p.Source.Section, w.Section))
                    && p.Id != family?.BackupProcedureId); // a backup may cite the restore's section, but it is no restore
            foreach (var p in matches.OrderBy(p => Preference(family, p.Id)).ThenBy(p => p.Id, StringComparer.Ordinal))
            {
                if (fit.Any(f => f.Procedure.Id == p.Id)) continue;
                var verdict = ApplicabilityCheck.Evaluate(p, o.ClusterName, o.Product, o.Version);
                if (verdict.Applies) fit.Add(new ProcedureAdvice(p, w.Role, w.Why));
                else unfit.Add($"{p.Title} ({p.Id}): {verdict.Reason}");
            }
        }
        if (outcome == TriageOutcome.RunProcedure && !fit.Any(f => f.Role == "recommended"))
        {
            var what = missingWhat ?? $"No procedure file for {string.Join(" or ", wanted.Where(w => w.Role == "recommended").Select(w => $"{w.Document} section {w.Section}"))} applies to {o.ClusterName} yet.";
            return new TriageRecommendation(TriageOutcome.NoProcedureYet, headline + ": no procedure available yet", [.. reasons, what])
            { Procedures = fit, NotApplicable = unfit };
        }
        return new TriageRecommendation(outcome, headline, reasons) { Procedures = fit, NotApplicable = unfit };
    }

    private static int Preference(ReleaseFamily? family, string id) =>
        family?.PreferredIds.ToList().IndexOf(id) is { } i and >= 0 ? i : int.MaxValue;

    /// <summary>A section of the current document; for older releases their own document says the same in its words.</summary>
    private static string Cite(ReleaseFamily family, string section) => family == ReleaseFamily.Current ? section : $"the {family.Name} document";

    private static string CiteSection(ReleaseFamily family, string section) =>
        family == ReleaseFamily.Current ? section : $"the {family.Name} document, section {section}";

    private static List<string> Missing(TriageObservations o)
    {
        var missing = new List<string>();
        if (o.ApiAnswers is null || o.ApiServesData is null) missing.Add(QuestionApi);
        if (o.HealthyControlPlaneHosts is null) missing.Add(QuestionHosts);
        if (o.EtcdQuorum is null) missing.Add(QuestionQuorum);
        if (o.CertificatesExpired is null) missing.Add(QuestionCertificates);
        if (o.CriticalObjectDeleted is null) missing.Add(QuestionDeleted);
        return missing;
    }
}
