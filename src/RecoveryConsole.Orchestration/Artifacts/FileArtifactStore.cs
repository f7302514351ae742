using System.Globalization;
using System.Security.Cryptography;

namespace RecoveryConsole.Orchestration.Artifacts;

/// <summary>
/// Artifacts as files: <c>&lt;root&gt;/&lt;runId&gt;/&lt;name&gt;</c> with the run's list in <c>.manifest.json</c>. Folders are 0700 and
/// files 0600. A save streams into a partial file while hashing (backups can be gigabytes), then renames it into place
/// and only then lists it, so a listed artifact always has its file. Artifacts are evidence: a name is never reused
/// within a run. Reading verifies: <see cref="OpenAsync"/> refuses a file whose size changed, and the stream it returns
/// throws <see cref="InvalidDataException"/> at the end when the bytes no longer match the recorded SHA-256.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lists = new(1, 1); // one writer of manifests at a time (this store owns the folder)

    public FileArtifactStore(string root, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Path.IsPathFullyQualified(root)) throw new ArgumentException($"The artifact folder '{root}' must be an absolute path.", nameof(root));
        Root = Path.TrimEndingDirectorySeparator(root);
        _time = time ?? TimeProvider.System;
    }

    public string Root { get; }

    public async Task<Artifact> SaveAsync(Guid runId, string name, Stream content, string origin, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArtifactNames.Validate(name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(labels);
        var kept = new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal);
        ArtifactFiles.PrivateDirectory(Root);
        var directory = ArtifactFiles.PrivateDirectory(RunDirectory(runId));
        var target = Path.Combine(directory, name);
        var partial = Path.Combine(directory, $".{name}.partial-{Guid.NewGuid():N}");
        try
        {
            var (sha, bytes) = await WriteHashedAsync(content, partial, cancellationToken).ConfigureAwait(false);
            await _lists.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var listed = await ArtifactManifest.ReadAsync(directory, runId, cancellationToken).ConfigureAwait(false);
                if (listed.Any(a => a.Name == name) || File.Exists(target))
                    throw new IOException($"Run {runId} already has an artifact named '{name}'; stored artifacts are never replaced, save under another name.");
                var artifact = new Artifact(runId, name, bytes, sha, _time.GetUtcNow(), origin, kept);
                File.Move(partial, target);
                try
                {
                    await ArtifactManifest.WriteAsync(directory, runId, listed.Append(artifact), CancellationToken.None).ConfigureAwait(false);
                }
                catch
                {
                    File.Delete(target); // unlisted, it would be an orphan nobody can find
                    throw;
                }
                return artifact;
            }
            finally { _lists.Release(); }
        }
        finally { File.Delete(partial); }
    }

    public async Task<Stream> OpenAsync(Guid runId, string name, CancellationToken cancellationToken)
    {
        ArtifactNames.Validate(name);
        var directory = RunDirectory(runId);
        var artifact = (await ArtifactManifest.ReadAsync(directory, runId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Name == name)
            ?? throw new FileNotFoundException($"Run {runId} has no artifact named '{name}'.", name);
        var path = Path.Combine(directory, name);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"Artifact '{name}' of run {runId} is listed but its file {path} is gone.", path, e);
        }
        var length = file.Length;
        if (length != artifact.Bytes)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException(
                $"Artifact '{name}' of run {runId} is corrupt: {length} bytes on disk, {artifact.Bytes} recorded when it was saved ({artifact.Origin}). Do not use this copy.");
        }
        return new VerifyingReadStream(file, artifact);
    }

    public async Task<IReadOnlyList<Artifact>> ListAsync(Guid runId, CancellationToken cancellationToken) =>
        await ArtifactManifest.ReadAsync(RunDirectory(runId), runId, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Artifact>> FindAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!Directory.Exists(Root)) return [];
        var found = new List<Artifact>();
        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            if (!Guid.TryParseExact(Path.GetFileName(directory), "D", out var runId)) continue;
            foreach (var artifact in await ArtifactManifest.ReadAsync(directory, runId, cancellationToken).ConfigureAwait(false))
                if (labels.All(l => artifact.Labels.TryGetValue(l.Key, out var value) && value == l.Value))
                    found.Add(artifact);
        }
        return found.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.RunId).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
    }

    private string RunDirectory(Guid runId) => Path.Combine(Root, runId.ToString("D", CultureInfo.InvariantCulture));

    private static async Task<(string Sha256, long Bytes)> WriteHashedAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = ArtifactFiles.CreatePrivate(path);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            total += read;
        }
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        file.Flush(flushToDisk: true); // on disk before it is listed: a backup that vanishes with a power cut is no backup
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }
}
