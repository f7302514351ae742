using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// The baseline: the live path of RunFeed and RunHub.Follow as they were before frames (commit cb2cd53), reproduced here
/// so both are measured in the same run. Every viewer has its own queue of up to 200,000 events filled under the run's
/// lock, re-packs the lines into its own lists, and the hub turns each list into its own DTOs and its own JSON; a full
/// queue cuts the viewer off, and SignalR's 10 s TransportSendTimeout applies. (No store read: benchmark viewers join
/// before the run prints.)
/// </summary>
public sealed class LegacyFanOut
{
    private const int ViewerBacklog = 200_000;
    private const int LinesPerEvent = 2_000;
    private readonly ConcurrentDictionary<Guid, (Lock Gate, List<Channel<RunEvent>> Viewers)> _runs = new();

    public LegacyFanOut(TranscriptWriter writer) => writer.Committed += OnCommitted;

    public int ViewerCount(Guid runId) => _runs.TryGetValue(runId, out var run) ? run.Viewers.Count : 0;

    private (Lock Gate, List<Channel<RunEvent>> Viewers) Run(Guid runId) => _runs.GetOrAdd(runId, _ => (new Lock(), []));

    private void OnCommitted(Guid runId, TranscriptLine[] lines)
    {
        if (!_runs.TryGetValue(runId, out var run)) return;
        lock (run.Gate)
        {
            for (var from = 0; from < lines.Length; from += LinesPerEvent)
            {
                var e = new LinesAppended(runId, lines[from..Math.Min(lines.Length, from + LinesPerEvent)]);
                for (var i = run.Viewers.Count - 1; i >= 0; i--)
                {
                    if (run.Viewers[i].Writer.TryWrite(e)) continue;
                    run.Viewers[i].Writer.TryComplete(new InvalidOperationException("viewer too slow"));
                    run.Viewers.RemoveAt(i);
                }
            }
        }
    }

    public async IAsyncEnumerable<RunEvent> FollowAsync(Guid runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var run = Run(runId);
        var viewer = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(ViewerBacklog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (run.Gate) run.Viewers.Add(viewer);
        try
        {
            var pending = new List<TranscriptLine>();
            while (await viewer.Reader.WaitToReadAsync(cancellationToken))
            {
                while (pending.Count < LinesPerEvent && viewer.Reader.TryRead(out var next))
                    foreach (var line in ((LinesAppended)next).Lines)
                    {
                        pending.Add(line);
                        if (pending.Count >= LinesPerEvent) { yield return new LinesAppended(runId, pending); pending = []; }
                    }
                if (pending.Count > 0) { yield return new LinesAppended(runId, pending); pending = []; }
            }
        }
        finally
        {
            lock (run.Gate) run.Viewers.Remove(viewer);
        }
    }
}

/// <summary>The baseline's hub method: one RunStreamEvent (own DTOs, own JSON) per event per client.</summary>
public sealed class LegacyFollowHub(LegacyFanOut fanOut) : Hub
{
    public const string Path = "/bench/legacy-runs";

    public async IAsyncEnumerable<RunStreamEvent> Follow(Guid runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in fanOut.FollowAsync(runId, cancellationToken)) yield return RunStreamEvent.From(e);
    }
}
