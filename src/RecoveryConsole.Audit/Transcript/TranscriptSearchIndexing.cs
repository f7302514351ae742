using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Runs <see cref="TranscriptSearchIndexer"/> in the background: catches up at start-up, then indexes new rows as they
/// come (batch after batch while there is a backlog and the writer is quiet, a fifth of the time while it is busy: see
/// <see cref="IndexingPace"/>; a short pause when there is nothing to index). A failure is logged and retried;
/// searches stay complete meanwhile because they read the unindexed tail with LIKE.
/// </summary>
public sealed class TranscriptSearchIndexing(TranscriptSearchIndexer indexer, TranscriptWrites writes, IHostApplicationLifetime lifetime,
    ILogger<TranscriptSearchIndexing> log)
    : BackgroundService
{
    public static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once every hosted service has started: the console migrates the store in one of them, so the index's tables exist.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try { await started.Task.WaitAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batchStarted = Stopwatch.GetTimestamp();
                var batch = IndexingPace.Batch(writes.SinceLastCommit);
                var indexed = await indexer.IndexNextAsync(batch, stoppingToken);
                var pause = IndexingPace.After(indexed, batch, Stopwatch.GetElapsedTime(batchStarted), writes.SinceLastCommit);
                if (pause > TimeSpan.Zero) await Task.Delay(pause, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (SqliteException e)
            {
                // e.g. the migrations have not run yet, or a long write held the lock past the busy timeout.
                log.LogWarning("Transcript search indexing paused: {Message}; retrying in 5 s.", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }
}
