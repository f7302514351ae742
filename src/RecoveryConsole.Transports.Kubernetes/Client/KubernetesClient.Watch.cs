using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Http;
using RecoveryConsole.Transports.Kubernetes.Watch;

namespace RecoveryConsole.Transports.Kubernetes;

// Watch: a resumable stream of changes that survives server timeouts, dropped connections and 410 Gone.
public sealed partial class KubernetesClient
{
    private sealed record WatchOpen(WatchStream? Stream, KubernetesApiException? Gone = null, Exception? Failure = null, TimeSpan Delay = default);

    /// <summary>
    /// Watches a collection (all namespaces when <paramref name="ns"/> is null) from <see cref="WatchOptions.ResourceVersion"/>,
    /// or from a fresh list whose objects come first as synthetic ADDED events. A clean end of the stream reconnects
    /// from the last resourceVersion seen (events and bookmarks); a broken connection does too, a bounded number of
    /// times in a row; 410 Gone (an HTTP answer or an ERROR event) lists again and yields the difference, at most
    /// <see cref="KubernetesClientOptions.WatchMaxRelists"/> times in a row. Any other ERROR ends the watch as a typed exception.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        ResourceType type, string? ns, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new WatchOptions();
        var state = new WatchState();
        var version = options.ResourceVersion;
        if (version is null)
        {
            var (items, listVersion) = await ListForWatchAsync(type, ns, options, cancellationToken).ConfigureAwait(false);
            foreach (var e in state.Resync(items)) yield return e;
            version = listVersion;
        }

        var relists = 0;
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = WatchPath(type, ns, options, version);
            var open = await OpenWatchAsync(path, cancellationToken).ConfigureAwait(false);
            var gone = open.Gone;
            var received = 0;
            if (open.Stream is { } stream)
            {
                await using (stream.ConfigureAwait(false))
                {
                    while (true)
                    {
                        var read = await stream.ReadAsync(cancellationToken).ConfigureAwait(false);
                        if (read.Kind == WatchReadKind.Event)
                        {
                            var e = read.Event!;
                            received++;
                            relists = 0;
                            failures = 0;
                            version = e.ResourceVersion ?? version;
                            if (e.Type != WatchEventType.Bookmark) state.Apply(e);
                            yield return e;
                            continue;
                        }
                        if (read.Kind == WatchReadKind.Failed) throw read.Error!;
                        if (read.Kind == WatchReadKind.Gone) gone = (KubernetesApiException)read.Error!;
                        if (read.Kind == WatchReadKind.Broken)
                        {
                            if (++failures >= _options.Retry.MaxAttempts)
                                throw new ApiUnreachableException(ServerName, $"the watch of {type} broke {failures} times in a row: {read.Error!.Message}", read.Error);
                            _logger.LogWarning("Watch of {Type} broke ({Reason}); resuming from resourceVersion {Version}", type, read.Error!.Message, version);
                        }
                        break; // ended, gone or broken: reconnect or re-list below
                    }
                }
            }
            else if (open.Failure is { } failure)
            {
                if (++failures >= _options.Retry.MaxAttempts) throw failure;
                _logger.LogWarning("Opening the watch of {Type} failed ({Reason}); retrying in {Delay} ms", type, failure.Message, (long)open.Delay.TotalMilliseconds);
                await Task.Delay(open.Delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (gone is not null)
            {
                if (++relists > _options.WatchMaxRelists)
                    throw KubernetesApiException.FromResponse("GET", path, 410, GoneStatus(gone, relists), relists);
                _logger.LogWarning("Watch of {Type} fell behind the server's history at resourceVersion {Version}; listing again", type, version);
                var (items, listVersion) = await ListForWatchAsync(type, ns, options, cancellationToken).ConfigureAwait(false);
                foreach (var e in state.Resync(items)) yield return e;
                version = listVersion;
            }
            else if (received == 0)
            {
                // A stream that ended (or broke) without a single line: pause, so a misbehaving server cannot make a hot loop.
                await Task.Delay(_options.Retry.BaseDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(IReadOnlyList<JsonObject> Items, string Version)> ListForWatchAsync(ResourceType type, string? ns, WatchOptions options, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        var page = new ListOptions { LabelSelector = options.LabelSelector, FieldSelector = options.FieldSelector, Limit = _options.ListPageSize };
        string? version = null;
        while (true)
        {
            var list = await ListAsync(type, ns, page, cancellationToken).ConfigureAwait(false);
            items.AddRange(list.Items);
            version ??= list.ResourceVersion; // every page of one list reports the first page's snapshot
            if (list.Continue is null) break;
            page = page with { Continue = list.Continue };
        }
        return (items, version ?? throw new KubernetesApiException(
            ApiFailure.Parse("GET", type.CollectionPath(ns), 200, "", 1) with { Reason = "UnexpectedAnswer", Message = "the list carried no resourceVersion" },
            "A watch needs the list's resourceVersion to resume from"));
    }

    private string WatchPath(ResourceType type, string? ns, WatchOptions options, string version)
    {
        var query = new QueryBuilder()
            .Add("watch", "1")
            .Add("resourceVersion", version)
            .Add("allowWatchBookmarks", options.Bookmarks ? "true" : null)
            .Add("timeoutSeconds", ((long)_options.WatchRequestTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture))
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector);
        return type.CollectionPath(ns) + query;
    }

    private async Task<WatchOpen> OpenWatchAsync(string path, CancellationToken cancellationToken)
    {
        using var request = NewRequest("GET", path, null, null);
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WatchOpen(null, Failure: new ApiUnreachableException(ServerName, $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s to a watch"), Delay: _options.Retry.BaseDelay);
        }
        catch (HttpRequestException e)
        {
            return new WatchOpen(null, Failure: new ApiUnreachableException(ServerName, TransportFailure.Describe(e, _validator), e), Delay: _options.Retry.BaseDelay);
        }

        var status = (int)response.StatusCode;
        if (status == 200)
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            // Silence longer than the server's own timeout plus a margin means the connection died quietly.
            return new WatchOpen(new WatchStream(response, body, "GET", path, _options.WatchRequestTimeout + TimeSpan.FromSeconds(30)));
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var error = Failure("GET", path, new RawResponse(status, text, 1));
            if (status == 410) return new WatchOpen(null, Gone: error);
            if (!RetryPolicy.IsRetryableStatus(status)) throw error;
            return new WatchOpen(null, Failure: error, Delay: RetryPolicy.Delay(_options.Retry, 1, response.Headers.RetryAfter, _options.TimeProvider.GetUtcNow()));
        }
    }

    private static string GoneStatus(KubernetesApiException gone, int relists) => new JsonObject
    {
        ["kind"] = "Status",
        ["status"] = "Failure",
        ["reason"] = gone.Reason,
        ["code"] = 410,
        ["message"] = $"{gone.ServerMessage} (the watch fell behind the server's history {relists} times in a row)",
    }.ToJsonString();
}
