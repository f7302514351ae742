using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Runs;

/// <summary>
/// What one run page holds of a run: the latest snapshot and every transcript line, fed from the RunFeed on a
/// background task. Arrivals are buffered and taken over by <see cref="Apply"/> on the page's own schedule, so a
/// step printing thousands of lines a second costs the browser at most ~10 renders a second.
/// </summary>
public sealed class RunFollowSession(RunFeed feed, Guid runId) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private List<TranscriptLine> _pendingLines = [];
    private RunView? _pendingView;
    private string? _pendingError;

    public List<TranscriptLine> Lines { get; } = [];
    public RunView? View { get; private set; }
    public string? Error { get; private set; }
    public bool Loaded { get; private set; }

    public void Start() => _ = Task.Run(FollowAsync);

    private async Task FollowAsync()
    {
        try
        {
            await foreach (var e in RunFollower.FollowAsync(feed, runId, 0, stopWhenSettled: false, _stop.Token))
            {
                lock (_gate)
                {
                    if (e is RunUpdated u) _pendingView = u.View;
                    else if (e is LinesAppended l) _pendingLines.AddRange(l.Lines);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (KeyNotFoundException) { lock (_gate) _pendingError = $"There is no run {runId}."; }
        catch (Exception e) { lock (_gate) _pendingError = $"Following the run stopped: {e.Message} Reload the page."; }
    }

    /// <summary>Takes over what arrived since the last call (on the renderer's thread); returns the number of new lines and whether anything changed.</summary>
    public (int NewLines, bool Changed) Apply()
    {
        List<TranscriptLine> lines;
        RunView? view;
        string? error;
        lock (_gate)
        {
            if (_pendingLines.Count == 0 && _pendingView is null && _pendingError is null) return (0, false);
            (lines, _pendingLines) = (_pendingLines, []);
            (view, _pendingView) = (_pendingView, null);
            (error, _pendingError) = (_pendingError, null);
        }
        Lines.AddRange(lines);
        if (view is not null) { View = view; Loaded = true; }
        if (error is not null) { Error = error; Loaded = true; }
        return (lines.Count, true);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
