using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Orchestration.Triage;

namespace RecoveryConsole.Orchestration.Tests.Triage;

public sealed class ProbeTests
{
    private static readonly HostInfo[] Hosts = [new("m0", "a", [HostRoles.ControlPlane]), new("m1", "b", [HostRoles.ControlPlane]), new("m2", "c", [HostRoles.ControlPlane])];

    [Fact]
    public async Task Every_host_is_checked_at_once_and_each_answer_says_why_it_is_unreachable()
    {
        var hosts = new ScriptedHosts().When("true", ScriptedHosts.Hang);
        var fast = new ScriptedHosts();
        fast.Unreachable.Add("m1");
        var answers = new ConcurrentBag<HostReach>();

        await HostReachability.ProbeAsync(new Router(fast, hosts), Hosts, answers.Add, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(3, answers.Count);
        Assert.Equal(Reachability.Reachable, answers.Single(a => a.Host.Name == "m0").State);
        Assert.Equal("unreachable: connection refused on port 22", answers.Single(a => a.Host.Name == "m1").Text);
        Assert.Equal("unreachable: no answer within 1 s", answers.Single(a => a.Host.Name == "m2").Text);
        Assert.Equal(["true", "true"], fast.Sent.Select(s => s.Command).Concat(hosts.Sent.Select(s => s.Command)).ToArray());
    }

    [Fact]
    public async Task A_hung_host_does_not_hold_the_others_back()
    {
        var hosts = new ScriptedHosts().When("true", ScriptedHosts.Hang);
        var started = DateTime.UtcNow;

        var reach = await HostReachability.ProbeOneAsync(hosts, Hosts[0], TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Equal(Reachability.Unreachable, reach.State);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Single(hosts.Cancelled); // the remote command is cancelled, not left running
    }

    [Fact]
    public async Task The_api_check_tells_an_api_that_answers_from_one_that_serves_data()
    {
        var serving = await ApiProbe.CheckAsync(new FakeApi(_ => new ApiResponse(200, "{}")), TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.True(serving.Answers);
        Assert.True(serving.ServesData);

        var noStorage = await ApiProbe.CheckAsync(new FakeApi(r => r.Path == ApiProbe.VersionPath
            ? new ApiResponse(200, "{}") : new ApiResponse(500, """{"message":"etcdserver: request timed out"}""")), TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.True(noStorage.Answers);
        Assert.False(noStorage.ServesData);
        Assert.Contains("500 etcdserver: request timed out", noStorage.Detail);
    }

    [Fact]
    public async Task An_unreachable_api_with_an_expired_certificate_is_reported_as_such()
    {
        var api = new FakeApi(_ => throw new ApiUnreachableException("api", "The SSL connection could not be established",
            new InvalidOperationException("x509: certificate has expired or is not yet valid")));

        var found = await ApiProbe.CheckAsync(api, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(found.Answers);
        Assert.True(found.CertificateExpired);
    }

    [Fact]
    public async Task A_hanging_api_is_reported_after_the_timeout()
    {
        var found = await ApiProbe.CheckAsync(new FakeApi(null), TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.False(found.Answers);
        Assert.Contains("no answer within", found.Detail);
    }

    private sealed class FakeApi(Func<ApiRequest, ApiResponse>? answer) : IKubernetesApi
    {
        public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
        {
            if (answer is null) await Task.Delay(Timeout.Infinite, cancellationToken);
            return answer!(request);
        }
    }

    /// <summary>m2 answers through a hanging transport, the others through a fast one.</summary>
    private sealed class Router(IHostTransport fast, IHostTransport hanging) : IHostTransport
    {
        public Task<int> RunAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken) =>
            (host.Name == "m2" ? hanging : fast).RunAsync(host, command, output, cancellationToken);
    }
}
