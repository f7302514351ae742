namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// Reading a stored transcript a window at a time, so a page never holds a whole run: counts and pages under a filter,
/// where a line sits in a filtered view (to jump to it), and full-text search within a run or across runs.
/// Positions are 0-based row indexes within the filtered view, in sequence order.
/// </summary>
public interface ITranscriptQuery
{
    /// <summary>Lines of the run under the filter, and the highest sequence the count covers (later lines are counted by the caller).</summary>
    Task<TranscriptCount> CountAsync(Guid runId, TranscriptFilter filter, CancellationToken cancellationToken);

    /// <summary>The rows <paramref name="skip"/> .. skip+take-1 of the filtered view.</summary>
    Task<IReadOnlyList<TranscriptLine>> PageAsync(Guid runId, TranscriptFilter filter, int skip, int take, CancellationToken cancellationToken);

    /// <summary>The row index of <paramref name="sequence"/> in the filtered view, or null when that line is not in it.</summary>
    Task<int?> IndexOfAsync(Guid runId, TranscriptFilter filter, long sequence, CancellationToken cancellationToken);

    /// <summary>The hosts that printed in the run, sorted.</summary>
    Task<IReadOnlyList<string>> HostsAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>Lines of one run containing <paramref name="text"/> (case-insensitive substring), in order, at most <paramref name="take"/>.</summary>
    Task<TranscriptHits> SearchRunAsync(Guid runId, TranscriptFilter filter, string text, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Lines of any run containing <paramref name="text"/>, newest first, at most <paramref name="take"/>; not counted
    /// beyond that (<see cref="TranscriptHits.More"/> says there are more), which would cost a pass over every hit.
    /// </summary>
    Task<TranscriptHits> SearchAllAsync(string text, int take, CancellationToken cancellationToken);
}

public sealed record TranscriptCount(int Lines, long UpToSequence);

/// <summary>Search hits; <see cref="Total"/> counts the matches up to a cap (<see cref="TranscriptSearchText.MaxCounted"/> within a run), <see cref="More"/> when there are more.</summary>
public sealed record TranscriptHits(IReadOnlyList<TranscriptLine> Lines, int Total, bool More = false)
{
    public static readonly TranscriptHits Empty = new([], 0);
    public bool TotalCapped => More || Total >= TranscriptSearchText.MaxCounted;
}
