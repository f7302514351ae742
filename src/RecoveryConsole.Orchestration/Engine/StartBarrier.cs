using System.Collections.Concurrent;
using System.Diagnostics;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>When one host's command started: the wall clock (what matters on real hosts) and the run's clock (a lab's may be virtual).</summary>
internal readonly record struct HostStart(long Timestamp, DateTimeOffset RunClock);

/// <summary>
/// Holds every host of a <c>mode: together</c> step at the last moment before its command goes out, and releases all of
/// them with one signal once the last has arrived. If a host cannot get ready, the barrier breaks and none is released.
/// </summary>
internal sealed class StartBarrier(int hosts)
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, HostStart> _starts = new(StringComparer.Ordinal);
    private int _pending = hosts;
    private int _arrived;

    /// <summary>Completes once every released host has recorded its start; cancelled when the barrier broke.</summary>
    public Task AllStarted => _started.Task;

    public IReadOnlyDictionary<string, HostStart> Starts => _starts;

    /// <summary>Ready to send: waits for the one signal. Throws the breaking host's reason when the barrier broke.</summary>
    public async Task ArriveAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _arrived); // counted before the pending count can reach zero
        CountDown();
        await _release.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Right before the command goes out, on the released host's own thread.</summary>
    public void Started(string host, TimeProvider runClock)
    {
        _starts[host] = new HostStart(Stopwatch.GetTimestamp(), runClock.GetUtcNow());
        if (_starts.Count >= Volatile.Read(ref _arrived)) _started.TrySetResult();
    }

    /// <summary>A host failed before it was ready: nobody is released (after the release it changes nothing).</summary>
    public void Break(string host, string why)
    {
        if (_release.TrySetException(new StepFailedException($"Not started: {host} could not get ready ({why}); the hosts start together or not at all.")))
            _started.TrySetCanceled();
    }

    private void CountDown()
    {
        if (Interlocked.Decrement(ref _pending) != 0) return;
        if (Volatile.Read(ref _arrived) == 0) _started.TrySetResult();
        _release.TrySetResult();
    }
}
