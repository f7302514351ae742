using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>
/// <c>GET {collection}?watch=1</c>: a chunked stream of JSON lines <c>{"type":...,"object":...}</c>, with BOOKMARKs
/// when asked for (after the first batch, then when idle), an ERROR event with a 410 Status for a compacted
/// resourceVersion (as kube-apiserver's watch cache does), and a clean end after timeoutSeconds.
/// </summary>
internal sealed class LabWatchEndpoint(LabKubernetesApi api, LabApiServerOptions options)
{
    public async Task HandleAsync(HttpContext context, string target)
    {
        LabWatchStart start;
        try
        {
            start = api.OpenWatch(target);
        }
        catch (KubeApiException e)
        {
            await LabApiResponses.WriteAsync(context, e.ToResponse()).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var initialList = query["resourceVersion"].ToString() is "" or "0";
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : options.WatchTimeout;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var aborted = context.RequestAborted;
        if (start.GoneMessage is { } gone)
        {
            var status = new JsonObject
            {
                ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
                ["message"] = gone, ["reason"] = "Expired", ["code"] = 410,
            };
            await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = status }, aborted).ConfigureAwait(false);
            return;
        }

        using var subscription = start.Subscription!;
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        ending.CancelAfter(timeout);
        var lastWritten = subscription.StartRevision;
        var lastBookmark = DateTimeOffset.UtcNow;
        try
        {
            lastWritten = Math.Max(lastWritten, await DrainAsync(context, subscription, ending.Token).ConfigureAwait(false));
            if (bookmarks)
            {
                await WriteLineAsync(context, Bookmark(lastWritten, initialList), ending.Token).ConfigureAwait(false);
                lastBookmark = DateTimeOffset.UtcNow;
            }
            Task<bool>? waiting = null; // one outstanding wait at a time: the queue has a single reader
            while (!ending.IsCancellationRequested)
            {
                waiting ??= subscription.Events.WaitToReadAsync(ending.Token).AsTask();
                if (await Task.WhenAny(waiting, Task.Delay(options.WatchTick, ending.Token)).ConfigureAwait(false) == waiting)
                {
                    if (!await waiting.ConfigureAwait(false)) break; // the watch was closed
                    waiting = null;
                }
                if (!Serving(target))
                {
                    context.Abort(); // the API server went down under the watch: the connection breaks
                    return;
                }
                api.Tick();
                // Read the revision before draining: every change up to it is queued, so a bookmark never runs ahead of events.
                var current = api.CurrentRevision();
                lastWritten = Math.Max(lastWritten, await DrainAsync(context, subscription, ending.Token).ConfigureAwait(false));
                if (bookmarks && DateTimeOffset.UtcNow - lastBookmark >= options.WatchBookmarkInterval)
                {
                    lastWritten = Math.Max(lastWritten, current);
                    await WriteLineAsync(context, Bookmark(lastWritten, false), ending.Token).ConfigureAwait(false);
                    lastBookmark = DateTimeOffset.UtcNow;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or timeoutSeconds passed: either way the stream simply ends.
        }
    }

    private bool Serving(string target)
    {
        try
        {
            api.AdmitStream(target);
            return true;
        }
        catch (ApiUnreachableException)
        {
            return false;
        }
    }

    private static async Task<long> DrainAsync(HttpContext context, LabWatchSubscription subscription, CancellationToken cancellationToken)
    {
        long last = 0;
        var wrote = false;
        while (subscription.Events.TryRead(out var line))
        {
            last = LabWatchLog.Revision((string?)line["object"]?["metadata"]?["resourceVersion"] ?? "");
            await WriteLineAsync(context, line, cancellationToken, flush: false).ConfigureAwait(false);
            wrote = true;
        }
        if (wrote) await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        return last;
    }

    private static JsonObject Bookmark(long revision, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd) metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        return new JsonObject { ["type"] = "BOOKMARK", ["object"] = new JsonObject { ["metadata"] = metadata } };
    }

    private static async Task WriteLineAsync(HttpContext context, JsonObject line, CancellationToken cancellationToken, bool flush = true)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n"), cancellationToken).ConfigureAwait(false);
        if (flush) await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
