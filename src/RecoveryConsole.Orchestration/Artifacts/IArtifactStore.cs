namespace RecoveryConsole.Orchestration.Artifacts;

/// <summary>
/// A file a run saved in the console (an etcd backup copied off a host, a saved object manifest), checksummed and kept
/// with the run. Labels say what it is so that later runs can find it: kind=etcd-backup, cluster=..., clusterVersion=...,
/// backupSet=... (the two files of one backup share a set).
/// </summary>
public sealed record Artifact(
    Guid RunId,
    string Name,
    long Bytes,
    string Sha256,
    DateTimeOffset CreatedAt,
    string Origin,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>The console's store of run artifacts (files under the data directory, owner-only permissions).</summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> as <paramref name="name"/> of the run, computing its SHA-256 while writing.</summary>
    Task<Artifact> SaveAsync(Guid runId, string name, Stream content, string origin, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Opens a stored artifact for reading; throws <see cref="FileNotFoundException"/> for an unknown one.</summary>
    Task<Stream> OpenAsync(Guid runId, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Artifact>> ListAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>Artifacts of every run whose labels include all of <paramref name="labels"/>, newest first.</summary>
    Task<IReadOnlyList<Artifact>> FindAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);
}
