using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;
using RecoveryConsole.Transports.Kubernetes.Watch;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Watch;

[Trait("Category", "Lab")]
public sealed class WatchTests : IAsyncLifetime
{
    private const string Ns = LabHarness.Namespace;
    private LabHarness _lab = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _lab = await LabHarness.StartAsync();
        _client = _lab.Client();
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private Task<JsonObject> CreateAsync(string name, string app = "watched") => _client.CreateAsync(ResourceType.ConfigMaps, Ns, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = app } },
        ["data"] = new JsonObject { ["v"] = "1" },
    });

    private int WatchRequests => _lab.Faults.Requests.Count(r => r.Target.Contains("watch=1", StringComparison.Ordinal));

    private static async Task<WatchEvent> NextAsync(IAsyncEnumerator<WatchEvent> events)
    {
        Assert.True(await events.MoveNextAsync(), "the watch ended");
        return events.Current;
    }

    private static string Describe(WatchEvent e) => $"{e.Type} {e.Name}{(e.Synthetic ? " (list)" : "")}";

    [Fact]
    public async Task A_watch_lists_first_then_streams_every_change_with_bookmarks()
    {
        await CreateAsync("a");
        await CreateAsync("b");
        await using var events = _client.WatchAsync(ResourceType.ConfigMaps, Ns, new WatchOptions { LabelSelector = "app=watched" }, Eventually.Guard()).GetAsyncEnumerator();

        var initial = new[] { await NextAsync(events), await NextAsync(events) };
        var bookmark = await NextAsync(events);
        await CreateAsync("c");
        await _client.MergePatchAsync(ResourceType.ConfigMaps, Ns, "a", JsonNode.Parse("""{"data":{"v":"2"}}""")!);
        await _client.DeleteAsync(ResourceType.ConfigMaps, Ns, "b");
        var changes = new[] { await NextAsync(events), await NextAsync(events), await NextAsync(events) };

        Assert.Equal(["Added a (list)", "Added b (list)"], initial.Select(Describe));
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.False(bookmark.Synthetic);
        Assert.NotNull(bookmark.ResourceVersion);
        Assert.Equal(["Added c", "Modified a", "Deleted b"], changes.Select(Describe));
        Assert.Equal("2", (string?)changes[1].Object["data"]?["v"]);
        var request = _lab.Faults.Requests.Single(r => r.Target.Contains("watch=1", StringComparison.Ordinal)).Target;
        Assert.Contains("allowWatchBookmarks=true", request);
        Assert.Contains("labelSelector=app%3Dwatched", request);
    }

    [Fact]
    public async Task An_object_leaving_the_selection_is_reported_as_deleted()
    {
        await CreateAsync("leaving");
        await using var events = _client.WatchAsync(ResourceType.ConfigMaps, Ns, new WatchOptions { LabelSelector = "app=watched" }, Eventually.Guard()).GetAsyncEnumerator();
        await NextAsync(events);
        await NextAsync(events); // bookmark

        await _client.MergePatchAsync(ResourceType.ConfigMaps, Ns, "leaving", JsonNode.Parse("""{"metadata":{"labels":{"app":"elsewhere"}}}""")!);
        var left = await NextAsync(events);

        Assert.Equal("Deleted leaving", Describe(left));
        Assert.Equal("elsewhere", (string?)left.Object["metadata"]?["labels"]?["app"]);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_410_lists_again_and_resumes()
    {
        var before = await _client.ListAsync(ResourceType.ConfigMaps, Ns);
        await CreateAsync("a");
        await CreateAsync("b");
        _lab.Api.CompactWatchHistory();
        await using var events = _client.WatchAsync(ResourceType.ConfigMaps, Ns, new WatchOptions { ResourceVersion = before.ResourceVersion }, Eventually.Guard()).GetAsyncEnumerator();

        var relisted = new[] { await NextAsync(events), await NextAsync(events) };
        var bookmark = await NextAsync(events);
        await CreateAsync("c");
        var live = await NextAsync(events);

        Assert.Equal(["Added a (list)", "Added b (list)"], relisted.Select(Describe));
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal("Added c", Describe(live));
        Assert.Equal(2, WatchRequests);
        Assert.Contains($"resourceVersion={before.ResourceVersion}&", _lab.Faults.Requests.First(r => r.Target.Contains("watch=1", StringComparison.Ordinal)).Target);
    }

    [Fact]
    public async Task After_a_410_answer_the_relist_yields_exactly_what_changed_meanwhile()
    {
        await CreateAsync("x");
        await CreateAsync("y");
        var mutated = 0;
        _lab.Faults.FailNext(1, 410, when: r => r.Target.Contains("watch=1", StringComparison.Ordinal) && Interlocked.Exchange(ref mutated, 1) == 0 && ChangeBehindTheWatch());
        await using var events = _client.WatchAsync(ResourceType.ConfigMaps, Ns, new WatchOptions { LabelSelector = "app=watched" }, Eventually.Guard()).GetAsyncEnumerator();

        var initial = new[] { await NextAsync(events), await NextAsync(events) };
        var difference = new[] { await NextAsync(events), await NextAsync(events), await NextAsync(events) };
        var resumed = await NextAsync(events);

        Assert.Equal(["Added x (list)", "Added y (list)"], initial.Select(Describe));
        Assert.Equal(["Modified y (list)", "Added z (list)", "Deleted x (list)"], difference.Select(Describe));
        Assert.Equal(WatchEventType.Bookmark, resumed.Type);
        Assert.Equal(2, WatchRequests);
    }

    private bool ChangeBehindTheWatch()
    {
        // Runs inside the server while it answers the watch request with 410: the client cannot have seen these.
        _lab.Api.SendAsync(new ApiRequest("DELETE", $"/api/v1/namespaces/{Ns}/configmaps/x"), CancellationToken.None).GetAwaiter().GetResult();
        var y = _lab.Api.Get($"/api/v1/namespaces/{Ns}/configmaps/y")!;
        y["data"]!["v"] = "2";
        _lab.Api.Put($"/api/v1/namespaces/{Ns}/configmaps/y", y);
        _lab.Put($"/api/v1/namespaces/{Ns}/configmaps/z", """{"metadata":{"labels":{"app":"watched"}},"data":{"v":"1"}}""");
        return true;
    }

    [Fact]
    public async Task Relists_are_bounded()
    {
        await CreateAsync("a");
        await CreateAsync("b");
        var client = _lab.Client(new KubernetesClientOptions { WatchMaxRelists = 2, TimeProvider = _lab.Waits });
        _lab.Faults.FailNext(10, 410, when: r => r.Target.Contains("watch=1", StringComparison.Ordinal));
        var seen = new List<WatchEvent>();

        var error = await Assert.ThrowsAsync<KubernetesGoneException>(async () =>
        {
            await foreach (var e in client.WatchAsync(ResourceType.ConfigMaps, Ns, cancellationToken: Eventually.Guard())) seen.Add(e);
        });

        Assert.Equal(["Added a (list)", "Added b (list)"], seen.Select(Describe)); // the relists found nothing new
        Assert.Equal(3, WatchRequests);
        Assert.Contains("fell behind the server's history 3 times in a row", error.Message);
    }

    [Fact]
    public async Task A_watch_that_cannot_be_opened_gives_up_after_bounded_attempts_with_the_servers_answer()
    {
        _lab.Faults.FailNext(10, 503, retryAfterSeconds: 1, when: r => r.Target.Contains("watch=1", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<KubernetesUnavailableException>(async () =>
        {
            await foreach (var _ in _client.WatchAsync(ResourceType.ConfigMaps, Ns, cancellationToken: Eventually.Guard()))
            {
            }
        });

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(3, WatchRequests);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], _lab.Waits.Delays); // Retry-After, between the attempts
    }

    [Fact]
    public async Task When_the_server_ends_the_stream_the_watch_resumes_from_the_last_bookmark()
    {
        var client = _lab.Client(new KubernetesClientOptions { WatchRequestTimeout = TimeSpan.FromSeconds(1), TimeProvider = _lab.Waits });
        await using var events = client.WatchAsync(ResourceType.ConfigMaps, Ns, new WatchOptions(), Eventually.Guard()).GetAsyncEnumerator();

        var first = await NextAsync(events);
        var second = await NextAsync(events); // the server closed the first stream after timeoutSeconds=1; this is the new one's bookmark
        await CreateAsync("after-reconnect");
        var live = await NextAsync(events);

        Assert.Equal(WatchEventType.Bookmark, first.Type);
        Assert.Equal(WatchEventType.Bookmark, second.Type);
        Assert.Equal("Added after-reconnect", Describe(live));
        var watches = _lab.Faults.Requests.Where(r => r.Target.Contains("watch=1", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, watches.Count);
        Assert.Contains($"resourceVersion={first.ResourceVersion}&", watches[1].Target);
        Assert.Contains("timeoutSeconds=1", watches[0].Target);
    }

    [Fact]
    public async Task A_watch_whose_server_goes_down_fails_as_unreachable_after_bounded_reconnects()
    {
        await using var events = _client.WatchAsync(ResourceType.ConfigMaps, Ns, new WatchOptions(), Eventually.Guard()).GetAsyncEnumerator();
        await NextAsync(events); // bookmark: the stream is open

        _lab.Api.Available = false;
        var error = await Assert.ThrowsAsync<ApiUnreachableException>(async () => await events.MoveNextAsync());

        Assert.Contains("could not be reached", error.Message);
        // Three failures in a row: the break (reconnected at once), a refused reconnect (then a pause), another refused one.
        Assert.Equal([TimeSpan.FromMilliseconds(250)], _lab.Waits.Delays);
    }
}
