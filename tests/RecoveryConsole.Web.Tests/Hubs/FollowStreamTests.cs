using System.Diagnostics;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Hubs;

/// <summary>Following a chatty run over the hub: a paused reader, a dropped connection, one serialization per frame.</summary>
public sealed class FollowStreamTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    private static string ChattyFolder => Path.Combine(AppContext.BaseDirectory, "chatty-procedures");

    private static Task<TestConsole> StartAsync() => TestConsole.StartAsync(proceduresFolder: ChattyFolder);

    private static async Task<Run> WaitSealedAsync(TestConsole console, Guid runId, CancellationToken cancellationToken)
    {
        var runs = console.Get<IRunRepository>();
        while (true)
        {
            var run = await runs.GetAsync(runId, cancellationToken);
            if (run?.TranscriptDigest is not null) return run;
            await Task.Delay(100, cancellationToken);
        }
    }

    private static void AssertDense(IReadOnlyList<LineDto> lines, long count)
    {
        Assert.Equal(count, lines.Count);
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Sequence));
    }

    [Fact]
    public async Task A_client_that_stops_reading_longer_than_the_send_timeout_is_not_cut_off_and_gets_every_line_when_it_reads_again()
    {
        await using var console = await StartAsync();
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);
        await using var vera = await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies);
        using var cts = new CancellationTokenSource(Generous);

        var runId = await olivia.InvokeAsync<Guid>("Start", "chatty-drill", DemoUsers.LabCluster, DemoUsers.SampleParameters);
        var lines = new List<LineDto>();
        var first = new TaskCompletionSource();
        var follow = Task.Run(async () =>
        {
            await foreach (var e in vera.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], cts.Token))
                if (e.Lines is { Count: > 0 } frame)
                {
                    lines.AddRange(frame);
                    first.TrySetResult();
                }
        });
        await first.Task.WaitAsync(cts.Token);

        // Paused well past SignalR's 10 s TransportSendTimeout while the run prints 150,000 lines (far more than the
        // socket buffers hold) and ends: the run does not wait for the paused reader.
        vera.PauseReading();
        var paused = Stopwatch.StartNew();
        var run = await WaitSealedAsync(console, runId, cts.Token);
        var sealedAfter = paused.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(15) - paused.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, cts.Token);
        vera.ResumeReading();

        await follow.WaitAsync(cts.Token); // a HubError("connection closed") here would mean it was cut off
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(sealedAfter < TimeSpan.FromSeconds(60), $"the run took {sealedAfter} while a reader was paused");
        Assert.True(run.TranscriptLineCount > 150_000);
        AssertDense(lines, run.TranscriptLineCount);
        Assert.Equal(150_000, lines.Count(l => int.TryParse(l.Text, out _)));
    }

    [Fact]
    public async Task A_client_whose_connection_drops_follows_again_from_its_last_sequence_and_misses_nothing()
    {
        await using var console = await StartAsync();
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);
        using var cts = new CancellationTokenSource(Generous);
        var runId = await olivia.InvokeAsync<Guid>("Start", "chatty-drill", DemoUsers.LabCluster, DemoUsers.SampleParameters);

        var lines = new List<LineDto>();
        var drops = 0;
        // The documented pattern: on a lost connection, connect again and Follow from the last sequence received.
        while (true)
        {
            await using var vera = await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies);
            var last = lines.Count == 0 ? 0L : lines[^1].Sequence;
            try
            {
                await foreach (var e in vera.StreamAsync<RunStreamEvent>("Follow", [runId, last], cts.Token))
                {
                    if (e.Lines is { } frame)
                    {
                        Assert.Equal(frame[0].Sequence, e.FirstSequence);
                        Assert.Equal(frame[^1].Sequence, e.LastSequence);
                        lines.AddRange(frame);
                    }
                    // Dropped twice mid-stream, as a flaky network would.
                    if (drops < 2 && lines.Count >= (drops + 1) * 20_000) { drops++; vera.Abort(); }
                }
                break;
            }
            catch (HubError e) when (e.Message == "connection closed") { }
        }

        var run = await WaitSealedAsync(console, runId, cts.Token);
        Assert.Equal(2, drops);
        AssertDense(lines, run.TranscriptLineCount);
    }

    [Fact]
    public async Task Live_frames_are_serialized_once_for_all_clients()
    {
        await using var console = await StartAsync();
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);
        var viewers = new List<HubClient>();
        for (var i = 0; i < 4; i++) viewers.Add(await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies));
        using var cts = new CancellationTokenSource(Generous);
        var json = console.Get<FrameJson>();
        try
        {
            var runId = await olivia.InvokeAsync<Guid>("Start", "chatty-drill", DemoUsers.LabCluster, DemoUsers.SampleParameters);
            var follows = viewers.Select(v => Task.Run(async () =>
            {
                var (lines, frames) = (new List<LineDto>(), 0);
                await foreach (var e in v.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], cts.Token))
                    if (e.Lines is { } frame) { lines.AddRange(frame); frames++; }
                return (lines, frames);
            })).ToList();
            var results = await Task.WhenAll(follows);

            var run = await WaitSealedAsync(console, runId, cts.Token);
            foreach (var (lines, _) in results) AssertDense(lines, run.TranscriptLineCount);
            var sent = results.Sum(r => r.frames);
            // Four clients, one JSON per frame: far fewer serializations than frames sent (one per frame per client before).
            Assert.True(json.Serializations <= sent / 2, $"{json.Serializations} serializations for {sent} frames sent");
        }
        finally
        {
            foreach (var v in viewers) await v.DisposeAsync();
        }
    }
}
