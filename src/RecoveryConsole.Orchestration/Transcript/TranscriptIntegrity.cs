using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Transcript;

public enum TranscriptState
{
    /// <summary>The run has not ended yet (or was resumed and is active again): nothing to compare with.</summary>
    NotSealed,
    Intact,
    /// <summary>Edited, removed or added lines after the seal.</summary>
    EditedAfterSealing,
}

/// <summary>
/// Whether a run's stored transcript still matches its latest chained seal, and if not, the first line that differs.
/// A run resumed after a seal is active again: its earlier seal is history (kept in the audit chain) and is not compared
/// until the run ends and is sealed anew.
/// </summary>
public sealed record TranscriptIntegrity(TranscriptState State, long? FirstChangedLine, string Message)
{
    private const string Edited = "EDITED AFTER SEALING: ";

    public bool EditedAfterSealing => State == TranscriptState.EditedAfterSealing;

    /// <summary>The message without its "EDITED AFTER SEALING" prefix, for places that show that flag themselves.</summary>
    public string Finding => Message.StartsWith(Edited, StringComparison.Ordinal) ? Message[Edited.Length..] : Message;

    public static async Task<TranscriptIntegrity> CheckAsync(RunView run, ITranscriptStore store, IReadOnlyList<AuditEvent> runAudit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Status.IsFinal() || run.TranscriptDigest is null)
            return new(TranscriptState.NotSealed, null, run.Status.IsFinal()
                ? "not sealed"
                : $"not sealed yet: the run is {run.Status}; it is sealed when it ends");
        // The chained seal is the evidence; the run row's copy of the digest is checked against it by the audit verifier.
        var sealEvent = runAudit.LastOrDefault(e => e.Kind == AuditKinds.TranscriptSealed);
        // A resumed run that just ended again: until its new seal is chained, the latest one is its earlier end's.
        if (sealEvent is not null && run.EndedAt is { } ended && sealEvent.Time < ended)
            return new(TranscriptState.NotSealed, null, "being sealed: the run has just ended");
        var seal = sealEvent is null ? null : TranscriptSeal.Parse(sealEvent.Detail);
        seal ??= new TranscriptSeal(run.TranscriptDigest, run.TranscriptLineCount, null);

        var now = await TranscriptDigest.SealAsync(store, run.Id, cancellationToken);
        if (now.Digest == seal.Digest && now.Lines == seal.Lines)
            return new(TranscriptState.Intact, null, $"intact: matches its seal (SHA-256 {seal.Digest} over {seal.Lines} lines)");
        if (seal.LineTags is null)
            return new(TranscriptState.EditedAfterSealing, null,
                $"{Edited}the stored transcript gives SHA-256 {now.Digest} over {now.Lines} lines, the seal {seal.Digest} over {seal.Lines} (this seal has no per-line evidence to name the line)");

        var first = await FirstChangedAsync(store, run.Id, seal, cancellationToken);
        return new(TranscriptState.EditedAfterSealing, first.Line, Edited + first.What);
    }

    /// <summary>Walks the stored lines against the sealed tags; the first position where they disagree names the line.</summary>
    private static async Task<(long Line, string What)> FirstChangedAsync(ITranscriptStore store, Guid runId, TranscriptSeal seal,
        CancellationToken cancellationToken)
    {
        var sealedLines = seal.LineTags!.Length / TranscriptDigest.TagLength;
        long after = 0, position = 0;
        while (true)
        {
            var page = await store.ReadAsync(runId, after, 10_000, cancellationToken);
            if (page.Count == 0) break;
            foreach (var line in page)
            {
                position++;
                if (position > sealedLines)
                    return (line.Sequence, $"line {line.Sequence} was added after the {sealedLines} sealed lines");
                var tag = seal.LineTags.AsSpan((int)(position - 1) * TranscriptDigest.TagLength, TranscriptDigest.TagLength);
                if (!tag.SequenceEqual(TranscriptDigest.TagOf(line)))
                    return line.Sequence > position
                        ? (position, $"line {position} was deleted (the next stored line is {line.Sequence})")
                        : (line.Sequence, $"first changed line is {line.Sequence}");
            }
            after = page[^1].Sequence;
        }
        return (position + 1, $"lines {position + 1} to {sealedLines} were deleted after sealing");
    }
}
