using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// One real SignalR client (Microsoft.AspNetCore.SignalR.Client over WebSockets) following a run: counts lines, checks
/// they come dense and in order, and notes each line's latency (received here minus the line's own timestamp, stamped at
/// Append: same process, same clock).
/// </summary>
public sealed class HubViewer : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _latencies;
    private long _expected = long.MaxValue;
    private Task _follow = Task.CompletedTask;

    public long LastSequence { get; private set; }
    public long Lines { get; private set; }
    public bool OutOfOrder { get; private set; }
    public bool Disconnected { get; private set; }
    public string? Error { get; private set; }
    public List<double> LatenciesMs { get; } = [];
    public Task Complete => _complete.Task;

    /// <summary>The first state snapshot arrived: history read, live from here (RunHub only; the baseline sends none).</summary>
    public Task Ready => _ready.Task;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubViewer(HubConnection connection, bool latencies) => (_connection, _latencies) = (connection, latencies);

    public static async Task<HubViewer> ConnectAsync(WebBench bench, string hubPath, bool latencies)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(bench.BaseAddress, hubPath), o =>
            {
                o.Cookies = bench.Cookies;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        var viewer = new HubViewer(connection, latencies);
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
                await foreach (var e in _connection.StreamAsync<RunStreamEvent>("Follow", runId, 0L, _stop.Token))
                {
                    if (e.Run is not null) _ready.TrySetResult();
                    if (e.Lines is not { Count: > 0 } lines) continue;
                    var now = DateTimeOffset.UtcNow;
                    foreach (var line in lines)
                    {
                        if (line.Sequence != LastSequence + 1) OutOfOrder = true;
                        LastSequence = line.Sequence;
                        if (_latencies) LatenciesMs.Add((now - line.Timestamp).TotalMilliseconds);
                    }
                    Lines += lines.Count;
                    if (LastSequence >= _expected) _complete.TrySetResult();
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { Error ??= e.Message; Disconnected = true; }
            _complete.TrySetResult();
        });
    }

    /// <summary>The producer's last sequence, once known (a burst's end).</summary>
    public void Expect(long last)
    {
        _expected = last;
        if (LastSequence >= last) _complete.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _follow.WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
        await _connection.DisposeAsync();
    }
}
