using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Hubs;

/// <summary>
/// The hub's JSON of a followed event, made once per live frame for every client that follows the run: a frame is one
/// shared object (RunFeed), so it keys a weak table and its JSON goes away with it. Store pages and state snapshots are per
/// viewer anyway and are serialized on their own.
/// A frame's lines go out as messages of about <see cref="MessageBytes"/> each (consecutive sequences, so a client still
/// sees a dense run of frames): a 2,000-line frame as one message was ~400 KB, which every client's send rented twice
/// from the shared array pool as large objects (the pipe, then the WebSocket's send buffer) and which the server held
/// whole for each client that read slowly; after a burst to many clients those pooled arrays stayed on the large object heap.
/// </summary>
public sealed class FrameJson(IOptions<JsonHubProtocolOptions> protocol)
{
    /// <summary>Aimed size of one message: well below the large object heap's 85,000 bytes and SignalR's 64 KB pipe threshold.</summary>
    public const int MessageBytes = 32 * 1024;

    /// <summary>JSON per line besides its text, step path and host (sequence, stream, timestamp, field names).</summary>
    private const int LineOverheadBytes = 120;

    private readonly ConditionalWeakTable<LinesAppended, Lazy<IReadOnlyList<SerializedEvent>>> _frames = new();
    private readonly JsonSerializerOptions _options = protocol.Value.PayloadSerializerOptions;

    /// <summary>How many times a frame's lines were turned into JSON (for the tests: once per frame, not per client).</summary>
    public long Serializations => Interlocked.Read(ref _serializations);
    private long _serializations;

    /// <summary>The messages of one followed event, in order (a frame may be several; a state change is one).</summary>
    public IReadOnlyList<SerializedEvent> For(RunEvent e) => e is LinesAppended frame
        ? _frames.GetValue(frame, f => new Lazy<IReadOnlyList<SerializedEvent>>(() => SerializeFrame(f))).Value
        : [Serialize(RunStreamEvent.From(e))];

    private IReadOnlyList<SerializedEvent> SerializeFrame(LinesAppended frame)
    {
        Interlocked.Increment(ref _serializations);
        var messages = new List<SerializedEvent>();
        var lines = frame.Lines;
        for (var start = 0; start < lines.Count;)
        {
            var (end, bytes) = (start, 0);
            while (end < lines.Count && (end == start || bytes + Estimate(lines[end]) <= MessageBytes)) bytes += Estimate(lines[end++]);
            messages.Add(Serialize(RunStreamEvent.From(new LinesAppended(frame.RunId, Slice(lines, start, end)))));
            start = end;
        }
        return messages;
    }

    private static int Estimate(TranscriptLine line) => LineOverheadBytes + line.Text.Length + line.StepPath.Length + line.Host.Length;

    private static TranscriptLine[] Slice(IReadOnlyList<TranscriptLine> lines, int start, int end)
    {
        var slice = new TranscriptLine[end - start];
        for (var i = start; i < end; i++) slice[i - start] = lines[i];
        return slice;
    }

    private SerializedEvent Serialize(RunStreamEvent e) => new(JsonSerializer.SerializeToUtf8Bytes(e, _options));
}
