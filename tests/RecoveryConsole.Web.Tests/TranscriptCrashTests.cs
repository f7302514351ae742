using System.Text.Json;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>
/// kill -9 while a step streams: what a live viewer received must be exactly what is stored, under the same sequences,
/// and the lost tail of the step's output is marked as a gap. The console is a real child process on one data directory.
/// </summary>
public sealed class TranscriptCrashTests
{
    private const int Rounds = 3;
    private const string Procedure = "chatty-drill";
    private const long LinesTheStepPrints = 150_000;

    [Fact]
    [Trait("Category", "Security")]
    [Trait("Category", "Crash")]
    public async Task After_kill_9_mid_stream_the_store_holds_exactly_what_the_viewer_received_and_marks_the_gap()
    {
        // Seeded: a failing round can be replayed with the same kill moments (RC_CRASH_SEED=<seed>).
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RC_CRASH_SEED"), out var s) ? s : Environment.TickCount;
        var random = new Random(seed);
        var data = Path.Combine(Path.GetTempPath(), "rc-crash-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var procedures = Path.Combine(AppContext.BaseDirectory, "chatty-procedures");
        try
        {
            (Guid Run, List<LineDto> Received)? killed = null;
            for (var round = 0; round <= Rounds; round++)
            {
                await using var console = await ChildConsole.StartAsync(data, procedures);
                using var http = await ConsoleClient.SignInAsync(console.BaseAddress, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
                if (killed is { } before) await AssertStoredAsReceivedAsync(http, before.Run, before.Received, $"seed {seed}, round {round}");
                if (round == Rounds) break;

                await using var hub = await HubClient.ConnectAsync(console.BaseAddress, http.Cookies);
                var runId = await hub.InvokeAsync<Guid>("Start", Procedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
                var received = new List<LineDto>();
                var streaming = new TaskCompletionSource();
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var viewer = Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var e in hub.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], stop.Token))
                        {
                            if (e.Lines is not { } lines) continue;
                            lock (received) received.AddRange(lines);
                            if (lines.Any(l => l.StepPath == "stream")) streaming.TrySetResult();
                        }
                    }
                    catch (HubError) { } // the console died under the stream
                    catch (OperationCanceledException) { }
                });
                await streaming.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await Task.Delay(random.Next(100, 2_000));
                await console.KillAsync();
                await viewer.WaitAsync(TimeSpan.FromSeconds(30));
                lock (received) killed = (runId, received.ToList());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task AssertStoredAsReceivedAsync(ConsoleClient http, Guid runId, List<LineDto> received, string round)
    {
        using var export = JsonDocument.Parse(await http.Http.GetStringAsync($"/runs/{runId}/transcript.json"));
        Assert.Equal("Interrupted", export.RootElement.GetProperty("run").GetProperty("status").GetString());
        var stored = export.RootElement.GetProperty("lines").EnumerateArray().Select(l => new LineDto(
            l.GetProperty("sequence").GetInt64(), l.GetProperty("step").GetString()!, l.GetProperty("host").GetString()!,
            Enum.Parse<Orchestration.Transports.OutputStream>(l.GetProperty("stream").GetString()!, ignoreCase: true),
            l.GetProperty("timestamp").GetDateTimeOffset(), l.GetProperty("text").GetString()!)).ToList();

        // Sequences are dense and never given twice, and the viewer received a prefix of what is stored, line for line.
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(l => l.Sequence));
        Assert.True(received.Count > 0, $"{round}: the viewer received nothing");
        Assert.True(received.Count <= stored.Count, $"{round}: the viewer received {received.Count} lines, only {stored.Count} are stored");
        for (var i = 0; i < received.Count; i++)
        {
            var (r, t) = (received[i], stored[i]);
            Assert.True((r.Sequence, r.StepPath, r.Host, r.Stream, r.Timestamp.UtcTicks, r.Text) == (t.Sequence, t.StepPath, t.Host, t.Stream, t.Timestamp.UtcTicks, t.Text),
                $"{round}: the viewer received #{r.Sequence} '{r.Text}' but the store holds #{t.Sequence} '{t.Text}'");
        }

        // The step was cut mid-stream: what it printed after the last stored line is lost, and the transcript says so there.
        var printed = stored.Where(l => l.StepPath == "stream" && l.Stream == Orchestration.Transports.OutputStream.Stdout).ToList();
        Assert.True(printed.Count < LinesTheStepPrints, $"{round}: the step finished before the kill");
        var gap = Assert.Single(stored.Where(l => l.Text.StartsWith(TranscriptGap.Prefix, StringComparison.Ordinal)).ToList());
        Assert.Equal(("stream", "master-0", Orchestration.Transports.OutputStream.System), (gap.StepPath, gap.Host, gap.Stream));
        Assert.Equal(printed[^1].Sequence + 1, gap.Sequence);
        Assert.True(gap.Sequence > received[^1].Sequence, $"{round}: the gap marker took sequence {gap.Sequence}, which the viewer had seen");
        Assert.Contains($"after sequence {printed[^1].Sequence}", gap.Text);
    }
}
