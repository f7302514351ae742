using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// One real SignalR client (Microsoft.AspNetCore.SignalR.Client over WebSockets) following a run, in the viewer-client
/// process (<see cref="ViewerClients"/>): counts lines, checks they come dense and in order, and notes each line's latency
/// (received minus the line's own timestamp, stamped at Append: another process on the same machine, same clock). One may
/// stop reading its socket for a while (<see cref="PausePlan"/>) and then read on.
/// </summary>
public sealed class HubViewer : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PausePlan? _pause;
    private PausableWebSocket? _socket;
    private long _expected = long.MaxValue;
    private Task _follow = Task.CompletedTask;

    public long LastSequence { get; private set; }
    public long Lines { get; private set; }
    public bool OutOfOrder { get; private set; }
    public bool Disconnected { get; private set; }
    public string? Error { get; private set; }
    public LatencyHistogram Latencies { get; } = new();
    public Task Complete => _complete.Task;

    /// <summary>When the last expected line arrived (null: never).</summary>
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset? PausedAt { get; private set; }
    public DateTimeOffset? ResumedAt { get; private set; }
    public long LinesWhenPaused { get; private set; }

    /// <summary>The longest time between two frames of lines received (the pause of a paused client included).</summary>
    public TimeSpan LongestGap { get; private set; }

    /// <summary>The first state snapshot arrived: history read, live from here (RunHub only; the baseline sends none).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Stop reading the socket once <paramref name="AfterLines"/> lines have come, for <paramref name="For"/>.</summary>
    public sealed record PausePlan(long AfterLines, TimeSpan For);

    private HubViewer(HubConnection connection, PausePlan? pause) => (_connection, _pause) = (connection, pause);

    public static async Task<HubViewer> ConnectAsync(Uri baseAddress, CookieContainer cookies, string hubPath, PausePlan? pause = null)
    {
        HubViewer? viewer = null;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, hubPath), o =>
            {
                o.Cookies = cookies;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (pause is not null)
                    o.WebSocketFactory = async (context, cancellationToken) =>
                    {
                        var socket = new ClientWebSocket();
                        socket.Options.Cookies = context.Options.Cookies;
                        await socket.ConnectAsync(context.Uri, cancellationToken);
                        return viewer!._socket = new PausableWebSocket(socket);
                    };
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        // The hub gives a client 2 minutes (ClientTimeoutInterval) because one parsing a burst on a busy machine misses its
        // pings; these clients give the server the same, so a client starved of CPU does not count its own lateness as a
        // dropped server. The longest silence each client saw is reported (LongestGap).
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        viewer = new HubViewer(connection, pause);
        connection.Closed += e => { viewer.Disconnected = e is not null; viewer.Error ??= e?.Message; viewer._complete.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        return viewer;
    }

    public void Follow(Guid runId, long expectedLast)
    {
        _expected = expectedLast;
        _follow = Task.Run(async () =>
        {
            try
            {
                DateTimeOffset? previous = null;
                await foreach (var e in _connection.StreamAsync<RunStreamEvent>("Follow", runId, 0L, _stop.Token))
                {
                    if (e.Run is not null) _ready.TrySetResult();
                    if (e.Lines is not { Count: > 0 } lines) continue;
                    var now = DateTimeOffset.UtcNow;
                    if (previous is { } before && now - before > LongestGap) LongestGap = now - before;
                    previous = now;
                    foreach (var line in lines)
                    {
                        if (line.Sequence != LastSequence + 1) OutOfOrder = true;
                        LastSequence = line.Sequence;
                        Latencies.Add((now - line.Timestamp).TotalMilliseconds);
                    }
                    Lines += lines.Count;
                    if (LastSequence >= _expected && CompletedAt is null)
                    {
                        CompletedAt = DateTimeOffset.UtcNow;
                        _complete.TrySetResult();
                    }
                    else if (_pause is not null && PausedAt is null && Lines >= _pause.AfterLines) PauseReading(_pause.For);
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { Error ??= e.Message; Disconnected = true; }
            _complete.TrySetResult();
        });
    }

    private void PauseReading(TimeSpan duration)
    {
        LinesWhenPaused = Lines;
        PausedAt = DateTimeOffset.UtcNow;
        _socket!.Pause();
        _ = Task.Delay(duration).ContinueWith(_ =>
        {
            ResumedAt = DateTimeOffset.UtcNow;
            _socket.Resume();
        }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        _socket?.Resume();
        await _stop.CancelAsync();
        try { await _follow.WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
        await _connection.DisposeAsync();
    }
}
