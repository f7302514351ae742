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
        runs.MapGet("/transcript.txt", (Guid id, HttpContext http, [AsParameters] ExportInputs inputs, CancellationToken ct) =>
            SendAsync(id, http, inputs, "text/plain; charset=utf-8", "transcript.txt", (run, audit, evidence) => (body, c) =>
                TranscriptExport.WriteTextAsync(body, inputs.Store, id, evidence.TextHeader(run), c), ct));
        runs.MapGet("/transcript.json", (Guid id, HttpContext http, [AsParameters] ExportInputs inputs, CancellationToken ct) =>
            SendAsync(id, http, inputs, "application/json; charset=utf-8", "transcript.json", (run, audit, evidence) => (body, c) =>
                TranscriptExport.WriteJsonAsync(body, run, inputs.Store, audit, evidence, c), ct));
        runs.MapGet("/report.md", (Guid id, HttpContext http, [AsParameters] ExportInputs inputs, CancellationToken ct) =>
            SendAsync(id, http, inputs, "text/markdown; charset=utf-8", "report.md", (run, audit, evidence) => (body, c) =>
                body.WriteAsync(Encoding.UTF8.GetBytes(IncidentReport.Write(run, audit, evidence)), c).AsTask(), ct));
        // Public by nature: a reviewer checks a signature with it, offline.
        endpoints.MapGet(ExportSigner.PublicKeyPath, (ExportSigner signer) => Results.Text(signer.PublicKeyPem, "application/x-pem-file")).AllowAnonymous();
    }

    /// <summary>The services every export needs, bound from DI in one parameter.</summary>
    public sealed record ExportInputs(RunAccess Access, ITranscriptStore Store, IAuditLog Audit, ExportSigner Signer, Redactor Redactor);

    private static async Task<IResult> SendAsync(Guid id, HttpContext http, ExportInputs inputs, string contentType, string name,
        Func<RunView, IReadOnlyList<AuditEvent>, ExportEvidence, Func<Stream, CancellationToken, Task>> body, CancellationToken ct)
    {
        // RunAccess: only runs on a cluster the user holds a role on; the others answer like a missing run.
        if (await inputs.Access.FindVisibleAsync(id, http.User, ct) is not { } stored) return Results.NotFound();
        // Exports pass the run through the redactor once more: a secret pasted into a note or reason never leaves.
        var run = inputs.Redactor.Redact(RunView.From(stored));
        var audit = await inputs.Audit.ListAsync(id, ct);
        var evidence = await ExportEvidence.GatherAsync(run, inputs.Store, inputs.Audit, audit, inputs.Signer, ct);
        await SignedExport.SendAsync(http, inputs.Signer, evidence, contentType, $"{FilePrefix(stored)}-{name}", body(run, audit, evidence), ct);
        return Results.Empty;
    }

    private static string FilePrefix(Run run) => $"{run.CreatedAt:yyyyMMdd-HHmm}-{run.ProcedureId}-{run.Id.ToString()[..8]}";
}
