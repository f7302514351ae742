using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// The one fan-out of a run's events: every line is stamped here (sequence, time), redacted and sent once to the
/// batched writer; viewers receive it only once the writer has committed the batch holding it (<see cref="OnCommitted"/>),
/// so a crash can never take back a line someone has already seen, nor let its sequence be given to other text after a
/// restart. Run updates published while lines are still in flight are held back until those lines are released, so a
/// viewer sees events in the order they happened. <see cref="FollowAsync"/> gives a viewer the stored transcript and then
/// the live lines with no gap and no duplicate, whenever it joins: stored lines, then a snapshot of the run, then live events.
/// </summary>
public sealed partial class RunFeed
{
    /// <summary>Events a viewer may fall behind by before it is dropped (it then re-joins from the store).</summary>
    public const int ViewerBacklog = 200_000;

    /// <summary>Lines per event sent to a viewer: keeps hub messages small when a large batch is released at once.</summary>
    private const int LinesPerEvent = 2_000;

    private readonly ConcurrentDictionary<Guid, RunChannel> _runs = new();
    private readonly TranscriptWriter _writer;
    private readonly ITranscriptStore _store;
    private readonly IRunRepository _repository;
    private readonly Redactor _redactor;
    private readonly TimeProvider _clock;

    public RunFeed(TranscriptWriter writer, ITranscriptStore store, IRunRepository runs, Redactor redactor, TimeProvider clock)
    {
        _writer = writer;
        _store = store;
        _repository = runs;
        _redactor = redactor;
        _clock = clock;
        writer.Committed += OnCommitted;
    }

    private sealed class RunChannel
    {
        /// <summary>Stamping: numbering and the hand-off to the writer happen together, so the writer gets lines in order.</summary>
        public readonly Lock Stamp = new();
        public long LastSequence;

        /// <summary>
        /// Viewers and what they may see. A separate lock from <see cref="Stamp"/>: the writer releases lines under it, and a
        /// producer holding Stamp may be waiting for room in the writer's queue.
        /// </summary>
        public readonly Lock Gate = new();
        public long Released;
        public RunView? LastView;
        public readonly Queue<(long After, RunView View)> HeldViews = new();
        public readonly List<Channel<RunEvent>> Viewers = [];
    }

    /// <summary>Called before a run produces output in this process: continues numbering after what the store holds.</summary>
    public async Task OpenAsync(Guid runId, CancellationToken cancellationToken)
    {
        var stored = await _store.LastSequenceAsync(runId, cancellationToken);
        var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
        lock (channel.Stamp) channel.LastSequence = Math.Max(channel.LastSequence, stored);
        // Everything stored is visible to viewers already (they read it from the store), so release starts there.
        lock (channel.Gate) channel.Released = Math.Max(channel.Released, stored);
    }

    public TranscriptLine Append(Guid runId, string stepPath, string host, OutputStream stream, string text)
    {
        var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
        var clean = _redactor.RedactLine(runId, stepPath, host, stream, text);
        lock (channel.Stamp)
        {
            var line = new TranscriptLine(runId, ++channel.LastSequence, stepPath, host, stream, _clock.GetUtcNow(), clean);
            _writer.Write(line);
            return line;
        }
    }

    public void Publish(RunView view)
    {
        var channel = _runs.GetOrAdd(view.Id, _ => new RunChannel());
        long after;
        lock (channel.Stamp) after = channel.LastSequence;
        lock (channel.Gate)
        {
            // Lines appended before this change are still being stored: the change waits for them.
            if (after > channel.Released || channel.HeldViews.Count > 0) channel.HeldViews.Enqueue((after, view));
            else Show(channel, view);
        }
    }

    public long LastSequence(Guid runId)
    {
        if (!_runs.TryGetValue(runId, out var channel)) return 0;
        lock (channel.Stamp) return channel.LastSequence;
    }

    /// <summary>Waits until every line appended so far for the run is in the store.</summary>
    public Task FlushAsync(Guid runId, CancellationToken cancellationToken) =>
        _writer.WaitPersistedAsync(runId, LastSequence(runId), cancellationToken);

    /// <summary>The writer committed these lines of one run (in sequence order): now, and only now, viewers get them.</summary>
    private void OnCommitted(Guid runId, TranscriptLine[] lines)
    {
        if (lines.Length == 0 || !_runs.TryGetValue(runId, out var channel)) return;
        lock (channel.Gate)
        {
            var start = 0;
            while (channel.HeldViews.TryPeek(out var held) && held.After < lines[^1].Sequence)
            {
                var end = start;
                while (end < lines.Length && lines[end].Sequence <= held.After) end++;
                Release(channel, runId, lines, start, end);
                start = end;
                Show(channel, channel.HeldViews.Dequeue().View);
            }
            Release(channel, runId, lines, start, lines.Length);
            channel.Released = Math.Max(channel.Released, lines[^1].Sequence);
            while (channel.HeldViews.TryPeek(out var held) && held.After <= channel.Released)
                Show(channel, channel.HeldViews.Dequeue().View);
        }
    }

    private void Release(RunChannel channel, Guid runId, TranscriptLine[] lines, int start, int end)
    {
        for (var from = start; from < end; from += LinesPerEvent)
            Broadcast(channel, new LinesAppended(runId, lines[from..Math.Min(end, from + LinesPerEvent)]), runId);
    }

    private void Show(RunChannel channel, RunView view)
    {
        channel.LastView = view;
        Broadcast(channel, new RunUpdated(view), view.Id);
        TellWatchers(view);
    }

    public async IAsyncEnumerable<RunEvent> FollowAsync(Guid runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
        var viewer = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(ViewerBacklog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        long subscribedAt;
        RunView? view;
        lock (channel.Gate)
        {
            channel.Viewers.Add(viewer);
            subscribedAt = channel.Released;
            view = channel.LastView;
        }
        try
        {
            view ??= await LoadViewAsync(runId, cancellationToken);
            // History first, then the state as of joining: a viewer of a finished run has everything once the view arrives.
            var last = afterSequence;
            await _writer.WaitPersistedAsync(runId, subscribedAt, cancellationToken);
            await foreach (var page in ReadStoredAsync(runId, last, long.MaxValue, cancellationToken))
            {
                last = page[^1].Sequence;
                yield return new LinesAppended(runId, page);
            }
            yield return new RunUpdated(view);

            var pending = new List<TranscriptLine>();
            while (await viewer.Reader.WaitToReadAsync(cancellationToken))
            {
                while (pending.Count < LinesPerEvent && viewer.Reader.TryRead(out var next))
                {
                    if (next is RunUpdated)
                    {
                        if (pending.Count > 0) { yield return new LinesAppended(runId, pending); pending = []; }
                        yield return next;
                        continue;
                    }
                    foreach (var line in ((LinesAppended)next).Lines)
                    {
                        if (line.Sequence <= last) continue;
                        if (line.Sequence > last + 1)
                        {
                            // Lines we never saw live (we joined while they were in flight): take them from the store.
                            if (pending.Count > 0) { yield return new LinesAppended(runId, pending); pending = []; }
                            await _writer.WaitPersistedAsync(runId, line.Sequence - 1, cancellationToken);
                            await foreach (var page in ReadStoredAsync(runId, last, line.Sequence - 1, cancellationToken))
                            {
                                last = page[^1].Sequence;
                                yield return new LinesAppended(runId, page);
                            }
                        }
                        pending.Add(line);
                        last = line.Sequence;
                        if (pending.Count >= LinesPerEvent) { yield return new LinesAppended(runId, pending); pending = []; }
                    }
                }
                if (pending.Count > 0) { yield return new LinesAppended(runId, pending); pending = []; }
            }
        }
        finally
        {
            lock (channel.Gate) channel.Viewers.Remove(viewer);
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<TranscriptLine>> ReadStoredAsync(Guid runId, long after, long upTo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (after < upTo)
        {
            var page = await _store.ReadAsync(runId, after, 2_000, cancellationToken);
            var wanted = page.Where(l => l.Sequence <= upTo).ToList();
            if (wanted.Count == 0) yield break;
            yield return wanted;
            after = wanted[^1].Sequence;
            if (page.Count < 2_000) yield break;
        }
    }

    private async Task<RunView> LoadViewAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await _repository.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No run {runId}.");
        return RunView.From(run);
    }

    private void Broadcast(RunChannel channel, RunEvent e, Guid runId)
    {
        if (channel.Viewers.Count == 0) return;
        for (var i = channel.Viewers.Count - 1; i >= 0; i--)
        {
            // A viewer that fell this far behind is cut off rather than slowing the run; it re-joins from the store.
            if (!channel.Viewers[i].Writer.TryWrite(e))
            {
                channel.Viewers[i].Writer.TryComplete(new ViewerTooSlowException(runId));
                channel.Viewers.RemoveAt(i);
            }
        }
    }

}

/// <summary>A viewer could not keep up; it should follow again from the last sequence it has.</summary>
public sealed class ViewerTooSlowException(Guid runId) : Exception($"The viewer of run {runId} fell too far behind; follow again from the last line received.");
