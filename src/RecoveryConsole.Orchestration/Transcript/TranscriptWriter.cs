using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RecoveryConsole.Orchestration.Transcript;

public sealed class TranscriptWriterOptions
{
    /// <summary>
    /// Lines held in memory before producers wait: about a quarter of a second of the writer's pace, so a burst rarely
    /// waits, while a step that prints faster than SQLite stores holds the console's memory to this many lines (~15 MiB)
    /// however long its transcript grows (it was 500,000: ~110 MiB held by one chatty step).
    /// </summary>
    public int Capacity { get; set; } = 65_536;
    public int BatchSize { get; set; } = 5_000;
}

/// <summary>
/// The batched writer behind the fan-out: lines go into a bounded channel and are written to the store in
/// batches by one reader, so a chatty step is never slowed by SQLite and no line is dropped (when the channel is
/// full the producer waits). After each commit <see cref="Committed"/> is raised per run with the lines just stored, in
/// sequence order: the high-water mark up to which viewers may see lines. On shutdown everything queued is flushed
/// before the service stops.
/// </summary>
public sealed class TranscriptWriter(ITranscriptStore store, IOptions<TranscriptWriterOptions> options, ILogger<TranscriptWriter> logger)
    : IHostedService
{
    private readonly Channel<TranscriptLine> _channel = Channel.CreateBounded<TranscriptLine>(
        new BoundedChannelOptions(options.Value.Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<Guid, long> _persisted = new();
    private readonly List<(Guid Run, long Sequence, TaskCompletionSource Done)> _waiters = [];
    private Task? _loop;

    /// <summary>Raised on the writer's loop after a batch is committed: one run's stored lines, ascending. Keep handlers short.</summary>
    public event Action<Guid, TranscriptLine[]>? Committed;

    private long _written;

    /// <summary>Lines handed to the writer since start (stored or queued).</summary>
    public long LinesWritten => Interlocked.Read(ref _written);

    /// <summary>Lines waiting to be stored.</summary>
    public int Queued => _channel.Reader.Count;

    public void Write(TranscriptLine line)
    {
        Interlocked.Increment(ref _written);
        if (_channel.Writer.TryWrite(line)) return;
        // Full: wait rather than lose a line. The transport's reader slows down, and so does the remote process.
        _channel.Writer.WriteAsync(line).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Completes when every line of the run up to <paramref name="sequence"/> that was written here is stored.</summary>
    public Task WaitPersistedAsync(Guid runId, long sequence, CancellationToken cancellationToken)
    {
        lock (_waiters)
        {
            if (sequence <= 0 || _persisted.GetValueOrDefault(runId) >= sequence) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((runId, sequence, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    public long PersistedSequence(Guid runId) => _persisted.GetValueOrDefault(runId);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A thread of its own: on the thread pool, each batch's continuation queued behind every viewer's send, so a
        // burst watched by 200 viewers held the writer (and the producing step, waiting for room) back.
        _loop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
    }

    private void WriteLoop()
    {
        var batch = new List<TranscriptLine>(options.Value.BatchSize);
        while (_channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < options.Value.BatchSize && _channel.Reader.TryRead(out var line)) batch.Add(line);
            StoreWithRetryAsync(batch).GetAwaiter().GetResult(); // SQLite works synchronously anyway; this thread only writes
            Acknowledge(batch);
            Announce(batch);
            batch.Clear();
        }
    }

    private async Task StoreWithRetryAsync(List<TranscriptLine> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.AppendAsync(batch, CancellationToken.None);
                return;
            }
            catch (Exception e) when (attempt < 20)
            {
                // A locked or briefly unavailable database must not cost lines: keep them and try again.
                logger.LogWarning(e, "Writing {Count} transcript lines failed (attempt {Attempt}); retrying", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt)));
            }
        }
    }

    private void Announce(List<TranscriptLine> batch)
    {
        var committed = Committed;
        if (committed is null) return;
        // Almost every batch holds one run's lines; only a mixed one needs grouping. Copies: the batch list is reused.
        IReadOnlyList<(Guid RunId, TranscriptLine[] Lines)> runs = batch.All(l => l.RunId == batch[0].RunId)
            ? [(batch[0].RunId, batch.ToArray())]
            : batch.GroupBy(l => l.RunId).Select(g => (g.Key, g.ToArray())).ToList();
        foreach (var (runId, lines) in runs)
        {
            try { committed(runId, lines); }
            catch (Exception e) { logger.LogError(e, "Releasing {Count} stored lines of run {RunId} to viewers failed", lines.Length, runId); }
        }
    }

    private void Acknowledge(List<TranscriptLine> batch)
    {
        foreach (var group in batch.GroupBy(l => l.RunId))
        {
            var max = group.Max(l => l.Sequence);
            _persisted.AddOrUpdate(group.Key, max, (_, old) => Math.Max(old, max));
        }
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var w = _waiters[i];
                if (_persisted.GetValueOrDefault(w.Run) < w.Sequence) continue;
                w.Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }
}
