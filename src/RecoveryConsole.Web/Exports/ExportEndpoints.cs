using System.Text;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Exports;

/// <summary>Downloads of a run for reviews: plain transcript, full JSON record, Markdown post-incident report.</summary>
public static class ExportEndpoints
{
    public static void MapExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var runs = endpoints.MapGroup("/runs/{id:guid}").RequireAuthorization();
        // RunAccess: only runs on a cluster the user holds a role on; the others answer like a missing run.
        runs.MapGet("/transcript.txt", async (Guid id, HttpContext http, RunAccess access, ITranscriptStore store, CancellationToken ct) =>
        {
            if (await access.FindVisibleAsync(id, http.User, ct) is not { } run) return Results.NotFound();
            Prepare(http, "text/plain; charset=utf-8", $"{FilePrefix(run)}-transcript.txt");
            await TranscriptExport.WriteTextAsync(http.Response.Body, store, id, ct);
            return Results.Empty;
        });
        runs.MapGet("/transcript.json", async (Guid id, HttpContext http, RunAccess access, ITranscriptStore store, IAuditLog audit, CancellationToken ct) =>
        {
            if (await access.FindVisibleAsync(id, http.User, ct) is not { } run) return Results.NotFound();
            Prepare(http, "application/json; charset=utf-8", $"{FilePrefix(run)}-transcript.json");
            await TranscriptExport.WriteJsonAsync(http.Response.Body, RunView.From(run), store, await audit.ListAsync(id, ct), ct);
            return Results.Empty;
        });
        runs.MapGet("/report.md", async (Guid id, HttpContext http, RunAccess access, ITranscriptStore store, IAuditLog audit, CancellationToken ct) =>
        {
            if (await access.FindVisibleAsync(id, http.User, ct) is not { } run) return Results.NotFound();
            var report = await IncidentReport.WriteAsync(RunView.From(run), store, audit, ct);
            return Results.Text(report, "text/markdown; charset=utf-8", Encoding.UTF8);
        });
    }

    private static void Prepare(HttpContext http, string contentType, string fileName)
    {
        http.Response.ContentType = contentType;
        // Shown in the browser when opened, saved under a telling name when downloaded.
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
    }

    private static string FilePrefix(Run run) => $"{run.CreatedAt:yyyyMMdd-HHmm}-{run.ProcedureId}-{run.Id.ToString()[..8]}";
}
