using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>
/// A small client of the ASP.NET Core SignalR JSON hub protocol over a WebSocket: invocations, server-to-client streams,
/// cancellation, keep-alive pings. Written when Microsoft.AspNetCore.SignalR.Client did not restore here (it does now, and
/// the benchmarks use it); kept because these tests look at the wire itself (one JSON message per frame, pings, a reader
/// that stops reading), which the official client hides.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char Separator = '\u001e';
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _calls = new();
    private readonly ConcurrentDictionary<string, Channel<JsonElement>> _streams = new();
    private int _nextId;
    private volatile TaskCompletionSource _reading = Reading();

    private static TaskCompletionSource Reading()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    /// <summary>Stops reading the socket (a client that pauses): the server's sends back up, pings still go out.</summary>
    public void PauseReading() => _reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeReading() => _reading.TrySetResult();

    /// <summary>Drops the connection without a goodbye, as a network failure would.</summary>
    public void Abort()
    {
        _socket.Abort();
        _stop.Cancel();
    }
    private Task _receive = Task.CompletedTask, _ping = Task.CompletedTask;

    public static async Task<HubClient> ConnectAsync(Uri baseAddress, CookieContainer cookies, string path = "/hubs/runs")
    {
        var client = new HubClient();
        client._socket.Options.Cookies = cookies;
        var uri = new UriBuilder(new Uri(baseAddress, path)) { Scheme = "ws" }.Uri;
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        await client.SendAsync(new { protocol = "json", version = 1 });
        var handshake = await client.ReadMessagesAsync();
        if (handshake.Count == 0) throw new InvalidOperationException("Handshake refused: connection closed.");
        if (handshake[0].TryGetProperty("error", out var error)) throw new InvalidOperationException($"Handshake refused: {error.GetString()}");
        client._receive = Task.Run(client.ReceiveLoopAsync);
        client._ping = Task.Run(client.PingLoopAsync);
        return client;
    }

    /// <summary>Calls a hub method; a HubException on the server becomes a <see cref="HubError"/> with its message.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = done;
        await SendAsync(new { type = 1, invocationId = id, target, arguments });
        return await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }

    public async Task<T> InvokeAsync<T>(string target, params object?[] arguments) =>
        (await InvokeAsync(target, arguments)).Deserialize<T>(Json)!;

    public async IAsyncEnumerable<T> StreamAsync<T>(string target, object?[] arguments, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var items = Channel.CreateUnbounded<JsonElement>();
        _streams[id] = items;
        await SendAsync(new { type = 4, invocationId = id, target, arguments });
        try
        {
            while (await items.Reader.WaitToReadAsync(cancellationToken))
                while (items.Reader.TryRead(out var item))
                    yield return item.Deserialize<T>(Json)!;
        }
        finally
        {
            if (_streams.TryRemove(id, out _) && _socket.State == WebSocketState.Open)
                await SendAsync(new { type = 5, invocationId = id });
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var messages = await ReadMessagesAsync();
                if (messages.Count == 0) break;
                foreach (var m in messages) Dispatch(m);
            }
        }
        // Whatever ended it (an aborted socket may throw ObjectDisposedException too), every waiting call and stream learns it.
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        foreach (var call in _calls.Values) call.TrySetException(new HubError("connection closed"));
        foreach (var stream in _streams.Values) stream.Writer.TryComplete(new HubError("connection closed"));
    }

    private void Dispatch(JsonElement m)
    {
        var type = m.GetProperty("type").GetInt32();
        var id = m.TryGetProperty("invocationId", out var i) ? i.GetString()! : "";
        switch (type)
        {
            case 2 when _streams.TryGetValue(id, out var stream):
                stream.Writer.TryWrite(m.GetProperty("item").Clone());
                break;
            case 3 when _streams.TryGetValue(id, out var stream):
                stream.Writer.TryComplete(m.TryGetProperty("error", out var se) ? new HubError(se.GetString()!) : null);
                break;
            case 3 when _calls.TryRemove(id, out var call):
                if (m.TryGetProperty("error", out var error)) call.TrySetException(new HubError(error.GetString()!));
                else call.TrySetResult(m.TryGetProperty("result", out var result) ? result.Clone() : default);
                break;
            case 7:
                _stop.Cancel();
                break;
        }
    }

    /// <summary>The server closes a connection it has not heard from for 30 s.</summary>
    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), _stop.Token);
                await SendAsync(new { type = 6 });
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException) { }
    }

    private readonly StringBuilder _buffer = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder(); // keeps a character split between two reads

    private async Task<List<JsonElement>> ReadMessagesAsync()
    {
        var bytes = new byte[64 * 1024];
        while (true)
        {
            var text = _buffer.ToString();
            var end = text.IndexOf(Separator);
            if (end >= 0)
            {
                var messages = new List<JsonElement>();
                var parts = text.Split(Separator);
                for (var p = 0; p < parts.Length - 1; p++) messages.Add(JsonDocument.Parse(parts[p]).RootElement.Clone());
                _buffer.Clear().Append(parts[^1]);
                return messages;
            }
            await _reading.Task.WaitAsync(_stop.Token);
            var received = await _socket.ReceiveAsync(bytes, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close) return [];
            var chars = new char[received.Count];
            _buffer.Append(chars, 0, _decoder.GetChars(bytes, 0, received.Count, chars, 0));
        }
    }

    private async Task SendAsync(object message)
    {
        var payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message, Json) + Separator);
        await _sendLock.WaitAsync();
        try { await _socket.SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _sendLock.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException) { }
        await Task.WhenAll(_receive, _ping).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }
}

/// <summary>The server refused an invocation; Message is what it said.</summary>
public sealed class HubError(string message) : Exception(message);
