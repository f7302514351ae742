using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Client;

[Trait("Category", "Lab")]
public sealed class RetryTests : IAsyncLifetime
{
    private const string Etcd = "/apis/operator.openshift.io/v1/etcds/cluster";
    private LabHarness _lab = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _lab = await LabHarness.StartAsync();
        _client = _lab.Client();
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task A_get_is_retried_through_5xx_and_succeeds()
    {
        _lab.Faults.FailNext(2, 503);

        var etcd = await _client.GetAsync(ResourceType.Etcds, null, "cluster");

        Assert.Equal("cluster", (string?)etcd["metadata"]?["name"]);
        Assert.Equal(3, _lab.Faults.Count("GET", Etcd));
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)], _lab.Waits.Delays);
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_failure_says_how_many_attempts_were_made()
    {
        _lab.Faults.FailNext(10, 503);

        var error = await Assert.ThrowsAsync<KubernetesUnavailableException>(() => _client.GetAsync(ResourceType.Etcds, null, "cluster"));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, _lab.Faults.Count("GET", Etcd));
        Assert.Contains("Gave up after 3 attempts", error.Message);
    }

    [Fact]
    public async Task Retry_after_is_honoured_up_to_the_cap()
    {
        _lab.Faults.FailNext(1, 429, retryAfterSeconds: 2);
        _lab.Faults.FailNext(1, 503, retryAfterSeconds: 3600);

        var response = await _client.SendAsync(new ApiRequest("GET", Etcd), CancellationToken.None);

        Assert.Equal(200, response.Status);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)], _lab.Waits.Delays);
    }

    [Fact]
    public async Task A_patch_is_never_sent_twice()
    {
        _lab.Faults.FailNext(1, 503);

        var error = await Assert.ThrowsAsync<KubernetesUnavailableException>(() =>
            _client.MergePatchAsync(ResourceType.Etcds, null, "cluster", JsonNode.Parse("""{"spec":{"forceRedeploymentReason":"once"}}""")!));

        Assert.Equal(1, _lab.Faults.Count("PATCH", Etcd));
        Assert.Contains("Not retried: this PATCH may already have taken effect", error.Message);
        Assert.Empty(_lab.Waits.Delays);
    }

    [Fact]
    public async Task A_post_is_never_sent_twice_even_through_the_engine_interface()
    {
        _lab.Faults.FailNext(1, 500);
        var body = """{"metadata":{"name":"once"},"data":{"k":"v"}}""";

        var response = await _client.SendAsync(new ApiRequest("POST", "/api/v1/namespaces/default/configmaps", body, "application/json"), CancellationToken.None);

        Assert.Equal(500, response.Status);
        Assert.Equal(1, _lab.Faults.Count("POST", "/api/v1/namespaces/default/configmaps"));
    }

    [Fact]
    public async Task A_put_is_retried_only_when_it_carries_a_resource_version()
    {
        var current = await _client.GetAsync(ResourceType.Etcds, null, "cluster");
        _lab.Faults.FailNext(1, 503, when: r => r.Method == "PUT");
        await _client.ReplaceAsync(ResourceType.Etcds, null, "cluster", current);
        var withVersion = _lab.Faults.Count("PUT", Etcd);

        var unconditional = (JsonObject)current.DeepClone();
        ((JsonObject)unconditional["metadata"]!).Remove("resourceVersion");
        _lab.Faults.FailNext(1, 503, when: r => r.Method == "PUT");
        await Assert.ThrowsAsync<KubernetesUnavailableException>(() => _client.ReplaceAsync(ResourceType.Etcds, null, "cluster", unconditional));

        Assert.Equal(2, withVersion);
        Assert.Equal(3, _lab.Faults.Count("PUT", Etcd));
    }

    [Fact]
    public async Task A_server_that_is_down_is_unreachable_not_an_http_answer()
    {
        _lab.Api.Available = false;

        var error = await Assert.ThrowsAsync<ApiUnreachableException>(() => _client.SendAsync(new ApiRequest("GET", Etcd), CancellationToken.None));

        Assert.Equal(_lab.Server.Address.GetLeftPart(UriPartial.Authority), error.Server);
        Assert.StartsWith($"Kubernetes API {error.Server} could not be reached: ", error.Message);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_as_unreachable()
    {
        using var release = new ManualResetEventSlim();
        _lab.Faults.FailNext(1, 503, when: r => r.Method == "GET" && release.Wait(TimeSpan.FromSeconds(30)));
        var impatient = _lab.Client(new KubernetesClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), TimeProvider = _lab.Waits });

        var error = await Assert.ThrowsAsync<ApiUnreachableException>(() => impatient.SendAsync(new ApiRequest("GET", Etcd), CancellationToken.None));
        release.Set();

        Assert.Contains($"no answer within 0.3 s to GET {Etcd}", error.Message);
    }

    [Fact]
    public async Task A_stopped_server_is_connection_refused()
    {
        var address = _lab.Server.Address;
        await _lab.Server.DisposeAsync();

        var error = await Assert.ThrowsAsync<ApiUnreachableException>(() => _client.SendAsync(new ApiRequest("GET", Etcd), CancellationToken.None));

        Assert.Contains("connection refused", error.Message);
        Assert.Equal(address.GetLeftPart(UriPartial.Authority), error.Server);
    }
}
