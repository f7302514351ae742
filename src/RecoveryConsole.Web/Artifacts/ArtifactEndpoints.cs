using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Artifacts;

/// <summary>
/// Downloads of a run's artifacts (etcd snapshots, saved manifests): evidence and possibly secrets, so only an approver
/// or an admin on the run's cluster gets them, checked here on the server. The bytes are verified while they stream:
/// a file whose size changed is refused before anything is sent; one whose content changed breaks the download at
/// its end (the connection is aborted, so no client takes it for a whole file).
/// </summary>
public static class ArtifactEndpoints
{
    public const string Sha256Header = "X-RecoveryConsole-Sha256";

    public static void MapArtifactEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/runs/{id:guid}/artifacts/{name}", DownloadAsync).RequireAuthorization();
    }

    public static string Link(Guid runId, string name) => $"/runs/{runId}/artifacts/{Uri.EscapeDataString(name)}";

    /// <summary>Whether <paramref name="actor"/> may download artifacts of a run on this cluster.</summary>
    public static bool MayDownload(Actor actor, string cluster, bool isDrill)
    {
        var roles = actor.RolesOn(cluster, isDrill);
        return roles.Contains(Roles.Approver, StringComparer.OrdinalIgnoreCase) || roles.Contains(Roles.Admin, StringComparer.OrdinalIgnoreCase);
    }

    private static async Task DownloadAsync(Guid id, string name, HttpContext http, RunAccess access, IArtifactStore store, ILoggerFactory logs, CancellationToken ct)
    {
        if (await access.FindVisibleAsync(id, http.User, ct) is not { } run)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!MayDownload(http.User.ToActor(), run.ClusterName, run.IsDrill))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("Artifacts may be downloaded by an approver or an admin of the run's cluster.", ct);
            return;
        }
        var artifact = (await store.ListAsync(id, ct)).FirstOrDefault(a => a.Name == name);
        if (artifact is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsync($"Run {id} has no artifact named '{name}'.", ct);
            return;
        }
        Stream content;
        try { content = await store.OpenAsync(id, name, ct); }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            http.Response.StatusCode = StatusCodes.Status409Conflict;
            await http.Response.WriteAsync(e.Message, ct);
            return;
        }
        await using (content)
        {
            http.Response.ContentType = "application/octet-stream";
            http.Response.ContentLength = artifact.Bytes;
            http.Response.Headers[Sha256Header] = artifact.Sha256;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name.Replace("\"", "", StringComparison.Ordinal)}\"";
            try { await CopyHoldingBackAsync(content, http.Response.Body, ct); }
            catch (InvalidDataException e)
            {
                logs.CreateLogger(typeof(ArtifactEndpoints)).LogError("Download of {Artifact} of run {Run} stopped: {Reason}", name, id, e.Message);
                http.Abort();
            }
        }
    }

    /// <summary>
    /// Copies while always holding back the chunk last read: it is sent only once the next read succeeds, and the read
    /// that reaches the end is the one that checks the hash. So a file that fails the check never arrives complete.
    /// </summary>
    private static async Task CopyHoldingBackAsync(Stream source, Stream target, CancellationToken ct)
    {
        var (buffer, held) = (new byte[1 << 16], new byte[1 << 16]);
        var heldCount = 0;
        while (true)
        {
            var read = await source.ReadAsync(buffer, ct);
            if (heldCount > 0) await target.WriteAsync(held.AsMemory(0, heldCount), ct);
            if (read == 0) return;
            (buffer, held, heldCount) = (held, buffer, read);
        }
    }
}
