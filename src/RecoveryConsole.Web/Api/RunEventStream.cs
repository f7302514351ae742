using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Api;

/// <summary>
/// GET /api/v1/runs/{id}/events: the hub's Follow over plain HTTP, as NDJSON or server-sent events. It ends by itself
/// once the run is settled (<see cref="RunFollower.IsSettled"/>), so `curl` in a CI job returns when the run is over.
/// </summary>
public static class RunEventStream
{
    public const string NdJson = "application/x-ndjson";
    public const string EventStream = "text/event-stream";

    public static async Task FollowAsync(Guid id, long? after, HttpContext http, RunAccess access, RunFeed feed,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        if (await access.FindVisibleAsync(id, http.User, http.RequestAborted) is null)
        {
            await ApiProblems.NotFound($"No run {id}.").ExecuteAsync(http);
            return;
        }
        var sse = http.Request.Headers.Accept.Any(a => a?.Contains(EventStream, StringComparison.OrdinalIgnoreCase) == true);
        http.Response.ContentType = sse ? EventStream : NdJson;
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await http.Response.StartAsync(http.RequestAborted);
        try
        {
            await foreach (var e in RunFollower.FollowAsync(feed, id, Math.Max(0, after ?? 0), stopWhenSettled: true, http.RequestAborted))
            {
                var item = RunStreamEvent.From(e);
                var text = JsonSerializer.Serialize(item, json.Value.SerializerOptions);
                await http.Response.WriteAsync(sse ? $"event: {item.Kind}\ndata: {text}\n\n" : text + "\n", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
    }
}
