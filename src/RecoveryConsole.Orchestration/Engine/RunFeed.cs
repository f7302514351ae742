using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// The one fan-out of a run's events: every line is stamped here (sequence, time), redacted, sent once to the
/// batched writer and to every live viewer. <see cref="FollowAsync"/> gives a viewer the stored transcript and then
/// the live lines with no gap and no duplicate, whenever it joins: stored lines, then a snapshot of the run, then live events.
/// </summary>
public sealed class RunFeed(TranscriptWriter writer, ITranscriptStore store, IRunRepository runs, Redactor redactor, TimeProvider clock)
{
    /// <summary>Events a viewer may fall behind by before it is dropped (it then re-joins from the store).</summary>
    public const int ViewerBacklog = 200_000;

    private readonly ConcurrentDictionary<Guid, RunChannel> _runs = new();

    private sealed class RunChannel
    {
        public readonly Lock Gate = new();
        public long LastSequence;
        public RunView? LastView;
        public readonly List<Channel<RunEvent>> Viewers = [];
    }

    /// <summary>Called before a run produces output in this process: continues numbering after what the store holds.</summary>
    public async Task OpenAsync(Guid runId, CancellationToken cancellationToken)
    {
        var stored = await store.LastSequenceAsync(runId, cancellationToken);
        var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
        lock (channel.Gate) channel.LastSequence = Math.Max(channel.LastSequence, stored);
    }

    public TranscriptLine Append(Guid runId, string stepPath, string host, OutputStream stream, string text)
    {
        var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
        var clean = redactor.RedactLine(runId, stepPath, host, stream, text);
        lock (channel.Gate)
        {
            var line = new TranscriptLine(runId, ++channel.LastSequence, stepPath, host, stream, clock.GetUtcNow(), clean);
            writer.Write(line);
            Broadcast(channel, line, runId);
            return line;
        }
    }

    public void Publish(RunView view)
    {
        var channel = _runs.GetOrAdd(view.Id, _ => new RunChannel());
        lock (channel.Gate)
        {
            channel.LastView = view;
            Broadcast(channel, new RunUpdated(view), view.Id);
        }
    }

    public long LastSequence(Guid runId) => _runs.TryGetValue(runId, out var c) ? c.LastSequence : 0;

    /// <summary>Waits until every line appended so far for the run is in the store.</summary>
    public Task FlushAsync(Guid runId, CancellationToken cancellationToken) =>
        writer.WaitPersistedAsync(runId, LastSequence(runId), cancellationToken);

    public async IAsyncEnumerable<RunEvent> FollowAsync(Guid runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
        var viewer = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(ViewerBacklog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        long subscribedAt;
        RunView? view;
        lock (channel.Gate)
        {
            channel.Viewers.Add(viewer);
            subscribedAt = channel.LastSequence;
            view = channel.LastView;
        }
        try
        {
            view ??= await LoadViewAsync(runId, cancellationToken);
            // History first, then the state as of joining: a viewer of a finished run has everything once the view arrives.
            var last = afterSequence;
            await writer.WaitPersistedAsync(runId, subscribedAt, cancellationToken);
            await foreach (var page in ReadStoredAsync(runId, last, long.MaxValue, cancellationToken))
            {
                last = page[^1].Sequence;
                yield return new LinesAppended(runId, page);
            }
            yield return new RunUpdated(view);

            var pending = new List<TranscriptLine>();
            while (await viewer.Reader.WaitToReadAsync(cancellationToken))
            {
                while (pending.Count < 2_000 && viewer.Reader.TryRead(out var next))
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
                            await writer.WaitPersistedAsync(runId, line.Sequence - 1, cancellationToken);
                            await foreach (var page in ReadStoredAsync(runId, last, line.Sequence - 1, cancellationToken))
                            {
                                last = page[^1].Sequence;
                                yield return new LinesAppended(runId, page);
                            }
                        }
                        pending.Add(line);
                        last = line.Sequence;
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
            var page = await store.ReadAsync(runId, after, 2_000, cancellationToken);
            var wanted = page.Where(l => l.Sequence <= upTo).ToList();
            if (wanted.Count == 0) yield break;
            yield return wanted;
            after = wanted[^1].Sequence;
            if (page.Count < 2_000) yield break;
        }
    }

    private async Task<RunView> LoadViewAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No run {runId}.");
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

    private void Broadcast(RunChannel channel, TranscriptLine line, Guid runId) =>
        Broadcast(channel, new LinesAppended(runId, [line]), runId);
}

/// <summary>A viewer could not keep up; it should follow again from the last sequence it has.</summary>
public sealed class ViewerTooSlowException(Guid runId) : Exception($"The viewer of run {runId} fell too far behind; follow again from the last line received.");
