using Microsoft.Extensions.Options;
using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// The one fan-out of a run's events: every line is stamped here (sequence, time), redacted and sent once to the
/// batched writer; viewers receive it only once the writer has committed the batch holding it (<see cref="OnCommitted"/>),
/// so a crash can never take back a line someone has already seen, nor let its sequence be given to other text after a
/// restart. Run updates published while lines are still in flight are held back until those lines are released, so a
/// viewer sees events in the order they happened. Released lines become frames (<see cref="LinesAppended"/>) made once and
/// shared by every viewer (RunFeed.Viewers.cs); a run's bookkeeping is dropped once it is sealed and nobody follows it.
/// </summary>
public sealed partial class RunFeed
{
    /// <summary>Lines per frame: keeps hub messages small when a large batch is released at once.</summary>
    private const int LinesPerFrame = 2_000;

    private readonly ConcurrentDictionary<Guid, RunChannel> _runs = new();
    private readonly TranscriptWriter _writer;
    private readonly ITranscriptStore _store;
    private readonly IRunRepository _repository;
    private readonly Redactor _redactor;
    private readonly TimeProvider _clock;
    private readonly int _backlogLines;
    private readonly BurstGauge _bursts;

    public RunFeed(TranscriptWriter writer, ITranscriptStore store, IRunRepository runs, Redactor redactor, TimeProvider clock,
        IOptions<OrchestrationOptions> options, BurstGauge bursts)
    {
        _bursts = bursts;
        _backlogLines = options.Value.ViewerBacklogLines;
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
        /// producer holding Stamp may be waiting for room in the writer's queue. Under it a viewer is handed a reference to a
        /// shared frame (TryWrite on its bounded queue), never a copy: the cost per viewer is a few nanoseconds.
        /// </summary>
        public readonly Lock Gate = new();
        public long Released;
        public RunView? LastView;
        /// <summary>Changes waiting for the lines before them; each with the <see cref="Opens"/> it was published under.</summary>
        public readonly Queue<(long After, RunView View, int Opens)> HeldViews = new();

        /// <summary>
        /// How often the run was opened for output (start, resume, restart), under Gate: a sealed view published before
        /// the latest open (a resume right after the seal, the view still held behind its lines) must not end production.
        /// </summary>
        public int Opens;
        /// <summary>Copy-on-write under <see cref="Gate"/>.</summary>
        public Viewer[] Viewers = [];

        /// <summary>Lines may still come: opened or appended to in this process and not sealed since.</summary>
        public volatile bool Producing;

        /// <summary>Dropped from the feed's table: whoever still holds it takes a fresh one.</summary>
        public volatile bool Retired;
    }

    /// <summary>Called before a run produces output in this process: continues numbering after what the store holds.</summary>
    public async Task OpenAsync(Guid runId, CancellationToken cancellationToken)
    {
        var stored = await _store.LastSequenceAsync(runId, cancellationToken);
        while (true)
        {
            var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
            channel.Producing = true;
            lock (channel.Stamp) channel.LastSequence = Math.Max(channel.LastSequence, stored);
            // Everything stored is visible to viewers already (they read it from the store), so release starts there.
            lock (channel.Gate)
            {
                if (channel.Retired) continue;
                channel.Opens++;
                channel.Released = Math.Max(channel.Released, stored);
                return;
            }
        }
    }

    public TranscriptLine Append(Guid runId, string stepPath, string host, OutputStream stream, string text)
    {
        var channel = _runs.GetOrAdd(runId, _ => new RunChannel());
        channel.Producing = true;
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
            if (after > channel.Released || channel.HeldViews.Count > 0) channel.HeldViews.Enqueue((after, view, channel.Opens));
            else Show(channel, view, channel.Opens);
            ForgetIfIdle(view.Id, channel);
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

    /// <summary>Runs the feed keeps anything for (numbering, viewers, held changes): a sealed run nobody follows is not among them.</summary>
    public int TrackedRuns => _runs.Count;

    public bool Tracks(Guid runId) => _runs.ContainsKey(runId);

    /// <summary>The writer committed these lines of one run (in sequence order): now, and only now, viewers get them.</summary>
    private void OnCommitted(Guid runId, TranscriptLine[] lines)
    {
        if (lines.Length == 0 || !_runs.TryGetValue(runId, out var channel)) return;
        _bursts.Committed(lines.Length); // before the frames go out: a burst's first frames wait too
        lock (channel.Gate)
        {
            var start = 0;
            while (channel.HeldViews.TryPeek(out var held) && held.After < lines[^1].Sequence)
            {
                var end = start;
                while (end < lines.Length && lines[end].Sequence <= held.After) end++;
                Release(channel, runId, lines, start, end);
                start = end;
                var shown = channel.HeldViews.Dequeue();
                Show(channel, shown.View, shown.Opens);
            }
            Release(channel, runId, lines, start, lines.Length);
            channel.Released = Math.Max(channel.Released, lines[^1].Sequence);
            while (channel.HeldViews.TryPeek(out var held) && held.After <= channel.Released)
            {
                channel.HeldViews.Dequeue();
                Show(channel, held.View, held.Opens);
            }
            ForgetIfIdle(runId, channel);
        }
    }

    private void Release(RunChannel channel, Guid runId, TranscriptLine[] lines, int start, int end)
    {
        // One frame object per slice, the same for every viewer: nothing is copied or serialized per viewer here.
        for (var from = start; from < end; from += LinesPerFrame)
            Broadcast(channel, new LinesAppended(runId, lines[from..Math.Min(end, from + LinesPerFrame)]));
    }

    private void Show(RunChannel channel, RunView view, int opens)
    {
        channel.LastView = view;
        // Sealed: nothing more comes unless a resume opens the run again (OpenAsync), unless it already has since. A resumed
        // run still carries its earlier seal until it is sealed again: only a seal covering every line numbered counts.
        if (IsSealed(view, Interlocked.Read(ref channel.LastSequence)) && opens == channel.Opens) channel.Producing = false;
        Broadcast(channel, new RunUpdated(view));
        TellWatchers(view);
    }

    /// <summary>The view's seal is the run's last one: final, and its digest covers every line numbered (a resumed run keeps its old seal meanwhile).</summary>
    public static bool IsSealed(RunView view, long lastSequence) =>
        view.Status.IsFinal() && view.TranscriptDigest is not null && view.TranscriptLineCount == lastSequence;

    /// <summary>Under Gate: a run that produces nothing more and has no viewer leaves the table (its frames with it).</summary>
    private void ForgetIfIdle(Guid runId, RunChannel channel)
    {
        if (channel.Producing || channel.Viewers.Length > 0 || channel.HeldViews.Count > 0) return;
        channel.Retired = true;
        _runs.TryRemove(new KeyValuePair<Guid, RunChannel>(runId, channel));
    }

    private async Task<RunView> LoadViewAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await _repository.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"No run {runId}.");
        return RunView.From(run);
    }
}
