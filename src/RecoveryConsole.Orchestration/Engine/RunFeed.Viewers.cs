using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Viewers of one run. Each has a bounded queue of shared frames (at most <see cref="OrchestrationOptions.ViewerBacklogLines"/>
/// lines, <see cref="ViewerBacklog"/> events); the writer never waits for it. A viewer whose queue is full is marked behind and gets nothing more live: once it has read what it holds it catches up from the store
/// (pages by sequence, up to what was released) and rejoins live. So a slow or paused viewer costs the run and the other
/// viewers nothing, is never cut off, and still gets every line once, in order. While steps print a burst
/// (<see cref="BurstGauge"/>), viewers hold their frames, up to two seconds at a time, so the step keeps the CPU.
/// </summary>
public sealed partial class RunFeed
{
    /// <summary>Events (frames of up to 2,000 lines shared with every other viewer, or state changes) a viewer may hold.</summary>
    public const int ViewerBacklog = 4_096;

    private sealed class Viewer
    {
        public readonly Channel<RunEvent> Events = Channel.CreateBounded<RunEvent>(
            new BoundedChannelOptions(ViewerBacklog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        /// <summary>Set under the run's Gate when a frame did not fit; cleared by the reader when it rejoins.</summary>
        public volatile bool Behind;

        /// <summary>Lines queued and not read yet.</summary>
        public long HeldLines;
    }

    private long _catchUps;

    /// <summary>How often a viewer that fell behind caught up from the store instead of live frames (since start).</summary>
    public long CatchUps => Interlocked.Read(ref _catchUps);

    /// <summary>Viewers following the run right now.</summary>
    public int ViewerCount(Guid runId) => _runs.TryGetValue(runId, out var channel) ? channel.Viewers.Length : 0;

    /// <summary>
    /// The run's transcript after <paramref name="afterSequence"/>, then its state, then live frames and state changes, with
    /// no gap and no duplicate; live frames are the shared instances (same object for every viewer).
    /// </summary>
    public async IAsyncEnumerable<RunEvent> FollowAsync(Guid runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var viewer = new Viewer();
        var pace = new ViewerPace(_bursts); // during a burst the step goes first: this viewer's frames wait (BurstGauge.cs)
        var (channel, subscribedAt, view) = Subscribe(runId, viewer);
        try
        {
            view ??= await LoadViewAsync(runId, cancellationToken);
            // History first, then the state as of joining: a viewer of a finished run has everything once the view arrives.
            var last = afterSequence;
            await _writer.WaitPersistedAsync(runId, subscribedAt, cancellationToken);
            await foreach (var page in ReadStoredAsync(runId, last, long.MaxValue, cancellationToken))
            {
                await pace.BeforeLinesAsync(cancellationToken);
                last = page.LastSequence;
                yield return page;
            }
            yield return new RunUpdated(view);

            while (true)
            {
                while (viewer.Events.Reader.TryRead(out var next))
                {
                    if (next is not LinesAppended frame)
                    {
                        yield return next;
                        continue;
                    }
                    Interlocked.Add(ref viewer.HeldLines, -frame.Lines.Count);
                    if (frame.LastSequence <= last) continue;
                    await pace.BeforeLinesAsync(cancellationToken);
                    // Released lines are committed, so a hole before a live frame (we joined or rejoined while it was in flight) is in the store.
                    await foreach (var page in ReadStoredAsync(runId, last, frame.FirstSequence - 1, cancellationToken))
                    {
                        last = page.LastSequence;
                        yield return page;
                    }
                    yield return frame.FirstSequence > last ? frame : new LinesAppended(runId, frame.Lines.Where(l => l.Sequence > last).ToArray());
                    last = frame.LastSequence;
                }
                if (viewer.Behind)
                {
                    // Frames were left out while we were slow: the store has them. Nothing was queued since, so after this
                    // catch-up the next live frame follows on.
                    Interlocked.Increment(ref _catchUps);
                    long mark;
                    RunView? current;
                    lock (channel.Gate)
                    {
                        mark = channel.Released;
                        current = channel.LastView;
                        viewer.Behind = false;
                    }
                    await foreach (var page in ReadStoredAsync(runId, last, mark, cancellationToken))
                    {
                        await pace.BeforeLinesAsync(cancellationToken);
                        last = page.LastSequence;
                        yield return page;
                    }
                    if (current is not null) yield return new RunUpdated(current);
                    continue;
                }
                if (!await viewer.Events.Reader.WaitToReadAsync(cancellationToken)) yield break;
            }
        }
        finally
        {
            Unsubscribe(runId, channel, viewer);
        }
    }

    private (RunChannel Channel, long SubscribedAt, RunView? View) Subscribe(Guid runId, Viewer viewer)
    {
        while (true)
        {
            var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
            lock (channel.Gate)
            {
                if (channel.Retired) continue; // dropped between the lookup and the lock: take the new one
                channel.Viewers = [.. channel.Viewers, viewer];
                return (channel, channel.Released, channel.LastView);
            }
        }
    }

    private void Unsubscribe(Guid runId, RunChannel channel, Viewer viewer)
    {
        lock (channel.Gate)
        {
            channel.Viewers = [.. channel.Viewers.Where(v => v != viewer)];
            ForgetIfIdle(runId, channel);
        }
    }

    /// <summary>Under Gate. A reference to the same event for every viewer; a full queue marks its viewer behind instead of waiting.</summary>
    private void Broadcast(RunChannel channel, RunEvent e)
    {
        var lines = e is LinesAppended frame ? frame.Lines.Count : 0;
        foreach (var viewer in channel.Viewers)
        {
            if (viewer.Behind) continue;
            if (Interlocked.Read(ref viewer.HeldLines) + lines > _backlogLines || !viewer.Events.Writer.TryWrite(e)) viewer.Behind = true;
            else Interlocked.Add(ref viewer.HeldLines, lines);
        }
    }

    private async IAsyncEnumerable<LinesAppended> ReadStoredAsync(Guid runId, long after, long upTo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (after < upTo)
        {
            var page = await _store.ReadAsync(runId, after, LinesPerFrame, cancellationToken);
            var wanted = page.Where(l => l.Sequence <= upTo).ToArray();
            if (wanted.Length == 0) yield break;
            yield return new LinesAppended(runId, wanted);
            after = wanted[^1].Sequence;
            if (page.Count < LinesPerFrame) yield break;
        }
    }
}
