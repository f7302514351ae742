using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Tells when steps print faster than anyone reads: a burst. Sending a burst's lines to every viewer competes with the
/// step itself for the console's CPU (on 2 cores, 200 viewers made a 200,000-line step 5x slower than with none), so
/// while a burst lasts viewers hold their frames (<see cref="ViewerPace"/>) and catch up right after: the run goes at its
/// own pace. Sampled every <see cref="Tick"/> from the transcript writer's counters, for all runs at once (they share the CPU).
/// </summary>
public sealed class BurstGauge : IDisposable
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(25);

    /// <summary>Lines written within one tick that make a burst: 20,000 lines a second; a chatty step's steady output stays far below.</summary>
    public const int BurstLinesPerTick = 500;

    /// <summary>Lines waiting for the writer that make a burst by themselves: the store is behind.</summary>
    public const int BurstBacklog = 10_000;

    private readonly Func<long> _written;
    private readonly Func<int> _queued;
    private readonly Lock _gate = new();
    private readonly ITimer? _timer;
    private long _seen;
    private volatile bool _inBurst;
    private volatile TaskCompletionSource _quiet = Completed();

    public BurstGauge(TranscriptWriter writer)
        : this(() => writer.LinesWritten, () => writer.Queued, sampleByItself: true)
    {
    }

    /// <summary>For tests: counters of their own, sampled by <see cref="Sample"/> only when <paramref name="sampleByItself"/> is false.</summary>
    internal BurstGauge(Func<long> written, Func<int> queued, bool sampleByItself)
    {
        _written = written;
        _queued = queued;
        _seen = written();
        if (sampleByItself) _timer = TimeProvider.System.CreateTimer(_ => Sample(), null, Tick, Tick);
    }

    public bool InBurst => _inBurst;

    /// <summary>Completes when the current burst is over (at once when there is none).</summary>
    public Task Quiet => _quiet.Task;

    /// <summary>Bursts seen since start: one per burst however long it lasts (nothing reads it but diagnostics and tests yet).</summary>
    public long Bursts { get; private set; }

    /// <summary>
    /// A commit of this many lines of one run starts a burst at once, before the next tick: the first frames of a burst,
    /// sent to every viewer, would otherwise cost the clients seconds of parsing on the step's cores. Only a tick ends one.
    /// </summary>
    public void Committed(int lines)
    {
        if (lines < BurstLinesPerTick || _inBurst) return;
        lock (_gate)
        {
            if (_inBurst) return;
            Enter();
        }
    }

    internal void Sample()
    {
        lock (_gate)
        {
            var written = _written();
            var burst = written - _seen >= BurstLinesPerTick || _queued() >= BurstBacklog;
            _seen = written;
            if (burst == _inBurst) return;
            if (burst) Enter();
            else
            {
                _inBurst = false;
                _quiet.TrySetResult();
            }
        }
    }

    /// <summary>Under the gate.</summary>
    private void Enter()
    {
        _quiet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inBurst = true;
        Bursts++;
    }

    public void Dispose() => _timer?.Dispose();

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}

/// <summary>
/// One viewer's share during a burst: before each frame of lines it waits for the burst to end, at most
/// <see cref="MaxHold"/>, then sends freely for <see cref="FreeFor"/>; so a step printing for minutes still shows its
/// output every two seconds or so while keeping most of the CPU. Outside bursts it costs one volatile read per frame.
/// </summary>
internal sealed class ViewerPace(BurstGauge gauge, TimeSpan? maxHold = null)
{
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan FreeFor = TimeSpan.FromMilliseconds(250);

    private readonly TimeSpan _maxHold = maxHold ?? MaxHold;
    private long _freeUntil;

    public ValueTask BeforeLinesAsync(CancellationToken cancellationToken) =>
        !gauge.InBurst || System.Diagnostics.Stopwatch.GetTimestamp() < _freeUntil ? ValueTask.CompletedTask : HoldAsync(cancellationToken);

    private async ValueTask HoldAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = Task.Delay(_maxHold, limit.Token);
        var first = await Task.WhenAny(gauge.Quiet, timeout).ConfigureAwait(false);
        await limit.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == timeout)
            _freeUntil = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(FreeFor.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }
}
