using System.Text.Json;

namespace RecoveryConsole.Orchestration.Artifacts;

/// <summary>
/// The per-run JSON file listing what the run saved (.manifest.json next to the files). Written to a temporary file
/// and renamed, so readers see the old list or the new one, never half of one.
/// </summary>
internal static class ArtifactManifest
{
    public const string FileName = ".manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record Entry(string Name, long Bytes, string Sha256, DateTimeOffset CreatedAt, string Origin, Dictionary<string, string> Labels);

    private sealed record Document(int Version, Guid RunId, List<Entry> Artifacts);

    /// <summary>The run's artifacts in the order they were saved; empty when the run saved none.</summary>
    public static async Task<List<Artifact>> ReadAsync(string runDirectory, Guid runId, CancellationToken cancellationToken)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) return [];
        Document? document;
        try
        {
            await using var stream = File.OpenRead(path);
            document = await JsonSerializer.DeserializeAsync<Document>(stream, Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The artifact list {path} cannot be read ({e.Message}); the files next to it are intact but unlisted.", e);
        }
        return document?.Artifacts.Select(a => new Artifact(runId, a.Name, a.Bytes, a.Sha256, a.CreatedAt, a.Origin, a.Labels)).ToList() ?? [];
    }

    public static async Task WriteAsync(string runDirectory, Guid runId, IEnumerable<Artifact> artifacts, CancellationToken cancellationToken)
    {
        var document = new Document(1, runId,
            artifacts.Select(a => new Entry(a.Name, a.Bytes, a.Sha256, a.CreatedAt, a.Origin, new Dictionary<string, string>(a.Labels, StringComparer.Ordinal))).ToList());
        var temp = Path.Combine(runDirectory, $"{FileName}.partial-{Guid.NewGuid():N}");
        try
        {
            await using (var stream = ArtifactFiles.CreatePrivate(temp))
            {
                await JsonSerializer.SerializeAsync(stream, document, Json, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, Path.Combine(runDirectory, FileName), overwrite: true);
        }
        finally { File.Delete(temp); }
    }
}
