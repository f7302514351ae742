using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Artifacts;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>One backup in the console's store: the artifacts saveBackup labelled with the same backupSet.</summary>
internal sealed record BackupSet(string Name, string Cluster, string ClusterVersion, DateTimeOffset CreatedAt, IReadOnlyList<Artifact> Files)
{
    /// <summary>What cluster-restore.sh needs in its directory, and nothing else: one snapshot, one static pod resources archive.</summary>
    public string? Problem()
    {
        var snapshots = Files.Count(f => BackupSets.Snapshot().IsMatch(f.Name));
        var archives = Files.Count(f => BackupSets.Archive().IsMatch(f.Name));
        var others = Files.Where(f => !BackupSets.Snapshot().IsMatch(f.Name) && !BackupSets.Archive().IsMatch(f.Name)).Select(f => f.Name).ToList();
        if (snapshots == 1 && archives == 1 && others.Count == 0) return null;
        return $"backup set {Name} holds {snapshots} snapshot_*.db and {archives} static_kuberesources_*.tar.gz" +
               (others.Count > 0 ? $" and also {string.Join(", ", others)}" : "") +
               "; a restore needs exactly one of each and nothing else (5.3.2.2 prerequisites)";
    }
}

internal static partial class BackupSets
{
    public const string Kind = "etcd-backup";

    [GeneratedRegex(@"^snapshot_[^/]+\.db\z")]
    public static partial Regex Snapshot();

    [GeneratedRegex(@"^static_kuberesources_[^/]+\.tar\.gz\z")]
    public static partial Regex Archive();

    /// <summary>The backup sets whose artifacts carry every label in <paramref name="labels"/> (besides kind), newest first.</summary>
    public static async Task<IReadOnlyList<BackupSet>> FindAsync(IArtifactStore store, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, string>(labels) { ["kind"] = Kind };
        var artifacts = await store.FindAsync(wanted, cancellationToken);
        return artifacts
            .GroupBy(a => a.Labels.GetValueOrDefault("backupSet", ""), StringComparer.Ordinal)
            .Where(g => g.Key.Length > 0)
            .Select(g => new BackupSet(g.Key, Label(g, "cluster"), Label(g, "clusterVersion"), g.Max(a => a.CreatedAt),
                g.OrderBy(a => a.Name, StringComparer.Ordinal).ToList()))
            .OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The label's value when the set's files agree on it; every distinct value otherwise, so a mixed set shows.</summary>
    private static string Label(IEnumerable<Artifact> files, string name) =>
        string.Join(",", files.Select(a => a.Labels.GetValueOrDefault(name, "")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
