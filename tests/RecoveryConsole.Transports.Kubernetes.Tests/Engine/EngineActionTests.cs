using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Engine;

/// <summary>The engine's built-in actions, given the real client as their <see cref="IKubernetesApi"/>, against the HTTPS lab.</summary>
[Trait("Category", "Lab")]
public sealed class EngineActionTests
{
    private static ActionContext Context(IKubernetesApi api, RecordingSink output, params (string Key, string Value)[] arguments) =>
        new(api, arguments.ToDictionary(a => a.Key, a => a.Value), output, TimeProvider.System, TimeSpan.FromMinutes(1));

    [Fact]
    public async Task Force_redeployment_then_wait_for_revision_roll_the_etcd_operator_to_a_new_revision()
    {
        // One node per 20 simulated seconds at a thousandth of real time: a rollout of three nodes in about 60 ms.
        await using var lab = await LabHarness.StartAsync(timeScale: 0.001, rolloutStep: TimeSpan.FromSeconds(20));
        IKubernetesApi api = lab.Client();
        var output = new RecordingSink();
        var before = await RevisionsAsync(api);
        var next = before.LatestAvailable + 1;

        await new ForceRedeploymentAction().ExecuteAsync(Context(api, output, ("operator", "etcd"), ("reason", "drill")), CancellationToken.None);
        await new WaitForRevisionAction().ExecuteAsync(Context(api, output, ("operator", "etcd"), ("every", "20ms"), ("timeout", "30s"), ("minRevision", $"{next}")), CancellationToken.None);

        var after = await RevisionsAsync(api);
        Assert.Equal(next, after.LatestAvailable);
        Assert.Equal(3, after.Nodes.Count);
        Assert.All(after.Nodes, n => Assert.Equal(next, n.Current));
        Assert.StartsWith("etcd.operator.openshift.io/cluster patched (forceRedeploymentReason=drill-", output.Stdout[0]);
        Assert.Equal($"AllNodesAtLatestRevision: 3 nodes are at revision {next}", output.Stdout[^1]);
        Assert.Contains(lab.Faults.Requests, r => r is { Method: "PATCH", Target: "/apis/operator.openshift.io/v1/etcds/cluster" });
    }

    private static async Task<StaticPodOperators.RevisionState> RevisionsAsync(IKubernetesApi api) =>
        StaticPodOperators.ReadRevisions((await api.SendAsync(new ApiRequest("GET", StaticPodOperators.PathOf("etcd")), CancellationToken.None)).Body);

    [Fact]
    public async Task Approve_csrs_approves_every_pending_request_over_https()
    {
        await using var lab = await LabHarness.StartAsync();
        const string signer = "example.com/rc-test-signer"; // only these two, whatever else the lab's cluster has pending
        lab.PutPendingCsr("rc-csr-a", signer);
        lab.PutPendingCsr("rc-csr-b", signer);
        var output = new RecordingSink();

        await new ApproveCsrsAction().ExecuteAsync(Context(lab.Client(), output, ("signer", signer)), CancellationToken.None);

        Assert.Equal("2 certificate signing request(s) approved", output.Stdout[^1]);
        Assert.Equal(["rc-csr-a", "rc-csr-b"], lab.Faults.Requests
            .Where(r => r.Method == "PUT" && r.Target.EndsWith("/approval", StringComparison.Ordinal))
            .Select(r => r.Target.Split('/')[^2]).Order());
        Assert.All(["rc-csr-a", "rc-csr-b"], name =>
            Assert.Equal("Approved", (string?)lab.Api.Get($"/apis/certificates.k8s.io/v1/certificatesigningrequests/{name}")!["status"]?["conditions"]?[0]?["type"]));
    }

    [Fact]
    public async Task Http_errors_reach_the_engine_as_answers_with_the_status_body()
    {
        await using var lab = await LabHarness.StartAsync();
        IKubernetesApi api = lab.Client();

        var response = await api.SendAsync(new ApiRequest("GET", "/apis/operator.openshift.io/v1/etcds/nope"), CancellationToken.None);

        Assert.Equal(404, response.Status);
        Assert.Contains("\"reason\":\"NotFound\"", response.Body);
        Assert.Contains("etcds.operator.openshift.io \\u0022nope\\u0022 not found", response.Body);
    }

    [Fact]
    public async Task A_failing_action_reports_the_api_server_down_as_unreachable()
    {
        await using var lab = await LabHarness.StartAsync();
        IKubernetesApi api = lab.Client();
        lab.Api.Available = false;

        var error = await Assert.ThrowsAsync<ApiUnreachableException>(() =>
            new ForceRedeploymentAction().ExecuteAsync(Context(api, new RecordingSink(), ("operator", "etcd")), CancellationToken.None));

        Assert.Contains("could not be reached", error.Message);
    }
}
