using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes.Watch;

internal enum WatchReadKind { Event, Ended, Gone, Failed, Broken }

/// <summary>The outcome of reading one line: an event, a clean end, 410 Gone, an ERROR answer, or a broken connection.</summary>
internal sealed record WatchRead(WatchReadKind Kind, WatchEvent? Event = null, Exception? Error = null)
{
    public static readonly WatchRead Ended = new(WatchReadKind.Ended);
}

/// <summary>
/// Reads a watch response body: one JSON object per line, as long as the server keeps the chunked response open.
/// Never throws for what the watch loop handles (end, 410, broken connection), so the loop can yield freely.
/// </summary>
internal sealed class WatchStream(HttpResponseMessage response, Stream body, string method, string path, TimeSpan idleTimeout) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(body);

    public async Task<WatchRead> ReadAsync(CancellationToken cancellationToken)
    {
        string? line;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(idleTimeout); // a silently dropped connection (NAT, failover) must not hang the step forever
        try
        {
            do
            {
                line = await _reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
            }
            while (line is { Length: 0 });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WatchRead(WatchReadKind.Broken, Error: new TimeoutException($"the watch stream sent nothing for {idleTimeout.TotalSeconds:0.###} s"));
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return new WatchRead(WatchReadKind.Broken, Error: e);
        }
        if (line is null) return WatchRead.Ended;

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException e)
        {
            return new WatchRead(WatchReadKind.Broken, Error: new InvalidDataException("the watch stream carried a line that is not JSON", e));
        }
        var type = WatchEvent.ParseType((string?)root?["type"]);
        if (root?["object"] is not JsonObject obj || type is null)
            return new WatchRead(WatchReadKind.Broken, Error: new InvalidDataException($"the watch stream carried an event of unknown shape (type {(string?)root?["type"] ?? "none"})"));

        if (type == WatchEventType.Error)
        {
            var code = (int?)obj["code"] ?? 500;
            return code == 410
                ? new WatchRead(WatchReadKind.Gone, Error: KubernetesApiException.FromResponse(method, path, 410, obj.ToJsonString()))
                : new WatchRead(WatchReadKind.Failed, Error: KubernetesApiException.FromResponse(method, path, code, obj.ToJsonString()));
        }
        return new WatchRead(WatchReadKind.Event, new WatchEvent(type.Value, obj));
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
    }
}
