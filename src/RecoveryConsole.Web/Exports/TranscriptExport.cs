using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Exports;

/// <summary>Transcripts written page by page straight to the response: 100,000+ lines never sit in memory as one string.</summary>
public static class TranscriptExport
{
    private const int PageSize = 5_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>The lines, after a header ("# " lines) that states the transcript's seal, the chain head and the signing key.</summary>
    public static async Task WriteTextAsync(Stream body, ITranscriptStore store, Guid runId, IEnumerable<string> header, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        foreach (var line in header) await writer.WriteLineAsync("# " + line.ReplaceLineEndings(" "));
        await foreach (var page in PagesAsync(store, runId, cancellationToken))
        {
            foreach (var line in page) await writer.WriteLineAsync(FormatLine(line));
            await writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>"seq time stream step@host | text", one line per transcript line.</summary>
    public static string FormatLine(TranscriptLine l) => string.Create(CultureInfo.InvariantCulture,
        $"{l.Sequence,7} {l.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {StreamName(l.Stream),-6} {Where(l)} | {l.Text}");

    public static string Where(TranscriptLine l) =>
        l.StepPath.Length == 0 ? (l.Host.Length == 0 ? "run" : l.Host) : l.Host.Length == 0 ? l.StepPath : $"{l.StepPath}@{l.Host}";

    public static string StreamName(Orchestration.Transports.OutputStream s) => s.ToString().ToLowerInvariant();

    public static async Task WriteJsonAsync(Stream body, RunView run, ITranscriptStore store, IReadOnlyList<AuditEvent> audit,
        ExportEvidence evidence, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WritePropertyName("integrity");
        JsonSerializer.SerializeToElement(new
        {
            transcript = new { state = evidence.Transcript.State, firstChangedLine = evidence.Transcript.FirstChangedLine, message = evidence.Transcript.Message },
            chain = new { head = evidence.Chain.Head, anchoredHead = evidence.Chain.AnchoredHead, intact = evidence.Chain.Intact, findings = evidence.Chain.Findings },
            signingKey = new { fingerprint = evidence.SigningKey, url = ExportSigner.PublicKeyPath, signatureHeader = SignedExport.SignatureHeader },
        }, Json).WriteTo(json);
        // Elements, not JsonSerializer.Serialize(writer): that one flushes synchronously, which Kestrel refuses.
        json.WritePropertyName("run");
        JsonSerializer.SerializeToElement(run with { Steps = [], Approvals = [] }, Json).WriteTo(json);
        json.WritePropertyName("steps");
        JsonSerializer.SerializeToElement(run.Steps, Json).WriteTo(json);
        json.WritePropertyName("approvals");
        JsonSerializer.SerializeToElement(run.Approvals, Json).WriteTo(json);
        json.WritePropertyName("audit");
        JsonSerializer.SerializeToElement(audit.Select(e => new { e.Id, e.Time, e.Actor, e.Kind, Detail = e.Kind == AuditKinds.TranscriptSealed ? TranscriptSeal.Short(e.Detail) : e.Detail, e.Hash }), Json).WriteTo(json);
        json.WriteStartArray("lines");
        await foreach (var page in PagesAsync(store, runId: run.Id, cancellationToken))
        {
            foreach (var l in page)
            {
                json.WriteStartObject();
                json.WriteNumber("sequence", l.Sequence);
                json.WriteString("timestamp", l.Timestamp);
                json.WriteString("stream", StreamName(l.Stream));
                json.WriteString("step", l.StepPath);
                json.WriteString("host", l.Host);
                json.WriteString("text", l.Text);
                json.WriteEndObject();
            }
            await json.FlushAsync(cancellationToken);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    public static async IAsyncEnumerable<IReadOnlyList<TranscriptLine>> PagesAsync(ITranscriptStore store, Guid runId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var page = await store.ReadAsync(runId, after, PageSize, cancellationToken);
            if (page.Count == 0) yield break;
            yield return page;
            after = page[^1].Sequence;
        }
    }
}
