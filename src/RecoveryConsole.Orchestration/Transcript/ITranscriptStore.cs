namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>Durable transcript lines. Appends come in batches from one writer.</summary>
public interface ITranscriptStore
{
    Task AppendAsync(IReadOnlyList<TranscriptLine> lines, CancellationToken cancellationToken);

    /// <summary>Lines with Sequence &gt; <paramref name="afterSequence"/>, in order, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<TranscriptLine>> ReadAsync(Guid runId, long afterSequence, int take, CancellationToken cancellationToken);

    /// <summary>Highest stored sequence of the run, 0 when none.</summary>
    Task<long> LastSequenceAsync(Guid runId, CancellationToken cancellationToken);
}
