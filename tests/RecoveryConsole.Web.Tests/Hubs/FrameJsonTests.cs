using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Web.Tests.Hubs;

/// <summary>A live frame's JSON: made once for every client, and sent as messages small enough not to be large objects.</summary>
public sealed class FrameJsonTests
{
    /// <summary>The runtime puts arrays of this many bytes or more on the large object heap.</summary>
    private const int LargeObjectBytes = 85_000;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static FrameJson NewFrameJson() =>
        new(Microsoft.Extensions.Options.Options.Create(new JsonHubProtocolOptions { PayloadSerializerOptions = Options }));

    private static LinesAppended Frame(Guid runId, int lines, int textLength) => new(runId, Enumerable.Range(1, lines)
        .Select(i => new TranscriptLine(runId, i, "restore/seq", "master-0", OutputStream.Stdout, DateTimeOffset.UtcNow,
            $"{i:D6} " + new string('x', textLength)))
        .ToArray());

    [Fact]
    public void A_frame_of_2000_lines_goes_out_as_messages_below_the_large_object_heap_with_every_line_once_in_order()
    {
        var json = NewFrameJson();
        var runId = Guid.NewGuid();
        var frame = Frame(runId, 2_000, 110);

        var messages = json.For(frame);

        // As one message this frame is ~400 KB: each client's send rented it twice from the shared pool as large objects.
        Assert.True(messages.Count > 1, $"{messages.Count} message(s)");
        Assert.All(messages, m => Assert.InRange(m.Json.Length, 1, LargeObjectBytes - 1));
        var events = messages.Select(m => JsonSerializer.Deserialize<RunStreamEvent>(m.Json.Span, Options)!).ToList();
        Assert.All(events, e =>
        {
            Assert.Equal(RunStreamEvent.LinesKind, e.Kind);
            Assert.Equal(e.Lines![0].Sequence, e.FirstSequence);
            Assert.Equal(e.Lines[^1].Sequence, e.LastSequence);
        });
        Assert.Equal(Enumerable.Range(1, 2_000).Select(i => (long)i), events.SelectMany(e => e.Lines!).Select(l => l.Sequence));
        Assert.Equal(frame.Lines.Select(l => l.Text), events.SelectMany(e => e.Lines!).Select(l => l.Text));
    }

    [Fact]
    public void A_frame_is_serialized_once_however_many_clients_ask()
    {
        var json = NewFrameJson();
        var frame = Frame(Guid.NewGuid(), 2_000, 50);

        var first = json.For(frame);
        for (var client = 0; client < 10; client++) Assert.Same(first, json.For(frame));

        Assert.Equal(1, json.Serializations);
    }

    [Fact]
    public void A_line_longer_than_a_message_still_goes_out_whole_in_a_message_of_its_own()
    {
        var json = NewFrameJson();
        var frame = Frame(Guid.NewGuid(), 3, FrameJson.MessageBytes * 2);

        var events = json.For(frame).Select(m => JsonSerializer.Deserialize<RunStreamEvent>(m.Json.Span, Options)!).ToList();

        Assert.Equal(new long[] { 1, 2, 3 }, events.Select(e => e.Lines!.Single().Sequence));
        Assert.All(events, e => Assert.Equal(FrameJson.MessageBytes * 2 + 7, e.Lines!.Single().Text.Length));
    }
}
