using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Web.Hubs;

/// <summary>
/// The hub's JSON of a followed event, made once per live frame for every client that follows the run: a frame is one
/// shared object (RunFeed), so it keys a weak table and its JSON goes away with it. Store pages and state snapshots are per
/// viewer anyway and are serialized on their own.
/// </summary>
public sealed class FrameJson(IOptions<JsonHubProtocolOptions> protocol)
{
    private readonly ConditionalWeakTable<LinesAppended, Lazy<SerializedEvent>> _frames = new();
    private readonly JsonSerializerOptions _options = protocol.Value.PayloadSerializerOptions;

    /// <summary>How many times lines were turned into JSON (for the tests: once per frame, not per client).</summary>
    public long Serializations => Interlocked.Read(ref _serializations);
    private long _serializations;

    public SerializedEvent For(RunEvent e) => e is LinesAppended frame
        ? _frames.GetValue(frame, f => new Lazy<SerializedEvent>(() => Serialize(f))).Value
        : Serialize(e);

    private SerializedEvent Serialize(RunEvent e)
    {
        if (e is LinesAppended) Interlocked.Increment(ref _serializations);
        return new SerializedEvent(JsonSerializer.SerializeToUtf8Bytes(RunStreamEvent.From(e), _options));
    }
}
