using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Exports;

/// <summary>
/// What every export states about its own trustworthiness: the transcript against its seal (naming the first changed
/// line), the audit chain's head and verification, and the key that signs the export.
/// </summary>
public sealed record ExportEvidence(TranscriptIntegrity Transcript, AuditVerification Chain, string SigningKey)
{
    public static async Task<ExportEvidence> GatherAsync(RunView run, ITranscriptStore store, IAuditLog audit, IReadOnlyList<AuditEvent> runAudit,
        ExportSigner signer, CancellationToken cancellationToken)
    {
        var transcript = await TranscriptIntegrity.CheckAsync(run, store, runAudit, cancellationToken);
        var chain = await audit.VerifyAsync(cancellationToken);
        return new ExportEvidence(transcript, chain, signer.Fingerprint);
    }

    public string HeadText => Chain.Head is { } h ? $"seq {h.Sequence} hash {h.Hash}" : "empty";

    /// <summary>The lines the text export starts with (each prefixed "# ").</summary>
    public IEnumerable<string> TextHeader(RunView run)
    {
        yield return $"RecoveryConsole transcript of run {run.Id} ({run.ProcedureId} on {run.ClusterName}, {run.Status})";
        yield return $"Transcript: {Transcript.Message}";
        yield return $"Audit chain head: {HeadText}; verification: {Chain.Summary}";
        foreach (var finding in Chain.Findings.Skip(1)) yield return $"Audit chain: {finding}";
        yield return $"Signed with {SigningKey} (public key at {ExportSigner.PublicKeyPath}); the signature is in the {SignedExport.SignatureHeader} response header";
    }
}
