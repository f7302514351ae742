using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Runs;

/// <summary>
/// What one run page holds of a run: the latest snapshot, the highest sequence committed so far and a bounded tail of
/// the newest lines; the transcript itself stays in the store and the page reads the rows it shows from there
/// (<see cref="ITranscriptQuery"/>). It follows the RunFeed from the last stored line on a background task; arrivals
/// are buffered and taken over by <see cref="Apply"/> on the page's own schedule, so a step printing thousands of lines
/// a second costs the browser at most ~10 renders a second, and a million-line run costs the circuit a few KB.
/// </summary>
public sealed class RunFollowSession(RunFeed feed, ITranscriptStore store, Guid runId) : IDisposable
{
    /// <summary>Enough for a filtered view to count the lines of one render's arrivals; older lines are read from the store.</summary>
    public const int TailLimit = 2_000;

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<TranscriptLine> _tail = new();
    private List<TranscriptLine> _pendingLines = [];
    private long _pendingLast;
    private RunView? _pendingView;
    private string? _pendingError;

    /// <summary>The newest lines received (at most <see cref="TailLimit"/>), in order.</summary>
    public IReadOnlyCollection<TranscriptLine> Tail => _tail;

    /// <summary>The highest sequence committed (stored at start or received since): the unfiltered transcript's line count.</summary>
    public long LastSequence { get; private set; }

    /// <summary>Hosts seen in lines received live (those before are asked of the store once).</summary>
    public SortedSet<string> LiveHosts { get; } = new(StringComparer.Ordinal);

    public RunView? View { get; private set; }
    public string? Error { get; private set; }
    public bool Loaded { get; private set; }

    public void Start() => _ = Task.Run(FollowAsync);

    private async Task FollowAsync()
    {
        try
        {
            // Follows from what is stored already: those lines are read page by page when shown, never all held here.
            var stored = await store.LastSequenceAsync(runId, _stop.Token);
            lock (_gate) _pendingLast = Math.Max(_pendingLast, stored);
            await foreach (var e in RunFollower.FollowAsync(feed, runId, stored, stopWhenSettled: false, _stop.Token))
            {
                lock (_gate)
                {
                    if (e is RunUpdated u) _pendingView = u.View;
                    else if (e is LinesAppended l && l.Lines.Count > 0)
                    {
                        _pendingLines.AddRange(l.Lines);
                        // A burst beyond the tail is not kept: a filtered view re-counts from the store instead.
                        if (_pendingLines.Count > 2 * TailLimit) _pendingLines.RemoveRange(0, _pendingLines.Count - TailLimit);
                        _pendingLast = Math.Max(_pendingLast, l.Lines[^1].Sequence);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (KeyNotFoundException) { lock (_gate) _pendingError = $"There is no run {runId}."; }
        catch (Exception e) { lock (_gate) _pendingError = $"Following the run stopped: {e.Message} Reload the page."; }
    }

    /// <summary>Takes over what arrived since the last call (on the renderer's thread); returns the lines received and whether anything changed.</summary>
    public (IReadOnlyList<TranscriptLine> NewLines, bool Changed) Apply()
    {
        List<TranscriptLine> lines;
        RunView? view;
        string? error;
        long last;
        lock (_gate)
        {
            if (_pendingLines.Count == 0 && _pendingView is null && _pendingError is null && _pendingLast == LastSequence) return ([], false);
            (lines, _pendingLines) = (_pendingLines, []);
            (view, _pendingView) = (_pendingView, null);
            (error, _pendingError) = (_pendingError, null);
            last = _pendingLast;
        }
        foreach (var line in lines)
        {
            _tail.Enqueue(line);
            if (line.Host.Length > 0) LiveHosts.Add(line.Host);
        }
        while (_tail.Count > TailLimit) _tail.Dequeue();
        LastSequence = Math.Max(LastSequence, last);
        if (view is not null) { View = view; Loaded = true; }
        if (error is not null) { Error = error; Loaded = true; }
        return (lines, true);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
