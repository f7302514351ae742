using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Orchestration.Tests.Notifications;

/// <summary>A real HTTP receiver on 127.0.0.1 that records each POST and answers with the next scripted status (then 200).</summary>
internal sealed class LocalWebhook : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<HttpStatusCode> _answers = new();
    private readonly Task _loop;

    public LocalWebhook(params HttpStatusCode[] answers)
    {
        foreach (var a in answers) _answers.Enqueue(a);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hooks/T0SECRET/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }
    /// <summary>Every request received, in order: the status answered and the body.</summary>
    public ConcurrentQueue<(HttpStatusCode Answer, string ContentType, string Body)> Received { get; } = new();

    public IEnumerable<JsonObject> Bodies(HttpStatusCode answered = HttpStatusCode.OK) =>
        Received.Where(r => r.Answer == answered).Select(r => JsonNode.Parse(r.Body)!.AsObject());

    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> what, string description, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (Bodies().FirstOrDefault(what) is { } found) return found;
            await Task.Delay(25);
        }
        throw new TimeoutException($"No notice {description}; received: {string.Join(" | ", Received.Select(r => $"{(int)r.Answer} {r.Body}"))}");
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            // Stop() fails the pending accept with ObjectDisposedException before IsListening turns false (seen in a
            // Web test's dispose), so that exception ends the loop by itself.
            catch (Exception e) when (e is ObjectDisposedException or HttpListenerException || !_listener.IsListening) { return; }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var answer = _answers.TryDequeue(out var a) ? a : HttpStatusCode.OK;
            Received.Enqueue((answer, context.Request.ContentType ?? "", body));
            context.Response.StatusCode = (int)answer;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
