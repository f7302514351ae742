using RecoveryConsole.Procedures.ApplicabilityRules;

namespace RecoveryConsole.Orchestration.Triage;

/// <summary>
/// Which document covers a release, and the sections of its recoveries (null: the document has no such procedure).
/// Sections are prefixes: a procedure citing "5.3.2.2" is found under "5.3.2". Preferred ids order the matches when
/// several procedure files cite the same section.
/// </summary>
public sealed record ReleaseFamily(
    string Name, string Document, string? LostMajoritySection, string? RestoreSection, string? CertificatesSection,
    string? EtcdMemberSection, IReadOnlyList<string> PreferredIds, string? BackupProcedureId)
{
    public static readonly ReleaseFamily Current = new("OpenShift 4.12 and later", "000_fa5c83705aa298d9.txt",
        LostMajoritySection: "5.3.2", RestoreSection: "5.3.2", CertificatesSection: "5.3.3", EtcdMemberSection: null,
        PreferredIds: ["ocp4-restore-previous-state", "ocp4-expired-certificates"], BackupProcedureId: "ocp4-etcd-backup");

    public static readonly ReleaseFamily Ocp42 = new("OpenShift 4.2/4.3", "003_28eb1c421f859d40.txt",
        LostMajoritySection: "3.2", RestoreSection: "3.3", CertificatesSection: "3.4", EtcdMemberSection: null, PreferredIds: [], BackupProcedureId: null);

    public static readonly ReleaseFamily Ocp311 = new("OpenShift 3.11", "001_a269d515094e3629.txt",
        LostMajoritySection: null, RestoreSection: null, CertificatesSection: null, EtcdMemberSection: "5.2.1.4", PreferredIds: ["ocp311-remove-etcd-host"],
        BackupProcedureId: "ocp311-backup-etcd");

    /// <summary>Hosted control planes on AWS: move the hosted cluster to another management cluster (8.6).</summary>
    public const string HostedAwsDocument = "002_dc66a8ea9facaa02.txt";
    /// <summary>Hosted control planes on premises: back up and restore the hosted cluster's etcd (8.3.1).</summary>
    public const string HostedOnPremisesDocument = "004_76627d8e46f61c97.txt";

    /// <summary>The family of a standalone cluster's version; null when the version is unknown.</summary>
    public static ReleaseFamily? Of(string version) => ReleaseVersion.TryParse(version) switch
    {
        null => null,
        { Major: 3 } => Ocp311,
        { Major: 4, Minor: 2 or 3 } => Ocp42,
        // 4.4 to 4.11 have their own documents, not stored here: the current procedures' applies says whether they fit.
        _ => Current,
    };
}
