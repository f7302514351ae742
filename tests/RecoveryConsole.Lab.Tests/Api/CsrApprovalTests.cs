using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Tests.Api;

[Trait("Category", "Lab")]
public sealed class CsrApprovalTests
{
    private const string Csrs = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
    private readonly ApiHarness _api = new();

    private async Task<List<JsonObject>> PendingAsync()
    {
        var (_, list) = await _api.SendAsync("GET", Csrs);
        return list["items"]!.AsArray().OfType<JsonObject>()
            .Where(c => c["status"]?["conditions"] is null)
            .ToList();
    }

    [Fact]
    public async Task Two_csrs_of_a_recovery_are_pending_at_start()
    {
        var pending = await PendingAsync();
        Assert.Equal(2, pending.Count);
        var client = Assert.Single(pending, c => (string?)c["spec"]!["signerName"] == "kubernetes.io/kube-apiserver-client-kubelet");
        Assert.Equal("system:serviceaccount:openshift-machine-config-operator:node-bootstrapper", (string?)client["spec"]!["username"]);
        var serving = Assert.Single(pending, c => (string?)c["spec"]!["signerName"] == "kubernetes.io/kubelet-serving");
        Assert.Equal("system:node:master-1", (string?)serving["spec"]!["username"]);
    }

    [Fact]
    public async Task Approval_subresource_adds_the_approved_condition_and_issues_the_certificate()
    {
        var csr = (await PendingAsync())[0];
        var name = (string)csr["metadata"]!["name"]!;
        csr["status"] = JsonNode.Parse("""
            {"conditions":[{"type":"Approved","status":"True","reason":"KubectlApprove","message":"This CSR was approved by kubectl certificate approve."}]}
            """);
        var (status, approved) = await _api.SendAsync("PUT", $"{Csrs}/{name}/approval", csr);

        Assert.Equal(200, status);
        var condition = Assert.Single(approved["status"]!["conditions"]!.AsArray());
        Assert.Equal("Approved", (string?)condition!["type"]);
        Assert.Equal("True", (string?)condition["status"]);
        Assert.Equal("KubectlApprove", (string?)condition["reason"]);
        Assert.False(string.IsNullOrEmpty((string?)approved["status"]!["certificate"]));
        Assert.Single(await PendingAsync());
    }

    [Fact]
    public async Task Approval_with_a_stale_resource_version_conflicts()
    {
        var csr = (await PendingAsync())[0];
        var name = (string)csr["metadata"]!["name"]!;
        await _api.MergePatchAsync($"{Csrs}/{name}", """{"metadata":{"labels":{"touched":"yes"}}}""");

        var (status, body) = await _api.SendAsync("PUT", $"{Csrs}/{name}/approval", csr);
        Assert.Equal(409, status);
        Assert.Equal("Conflict", (string?)body["reason"]);
        Assert.Equal(2, (await PendingAsync()).Count);
    }

    [Fact]
    public async Task Approval_cannot_be_combined_with_denial()
    {
        var csr = (await PendingAsync())[0];
        csr["status"] = JsonNode.Parse("""{"conditions":[{"type":"Approved","status":"True"},{"type":"Denied","status":"True"}]}""");
        var (status, _) = await _api.SendAsync("PUT", $"{Csrs}/{csr["metadata"]!["name"]}/approval", csr);
        Assert.Equal(422, status);
    }

    [Fact]
    public async Task Status_written_through_the_main_resource_does_not_approve()
    {
        var csr = (await PendingAsync())[0];
        csr["status"] = JsonNode.Parse("""{"conditions":[{"type":"Approved","status":"True"}]}""");
        var (status, _) = await _api.SendAsync("PUT", $"{Csrs}/{csr["metadata"]!["name"]}", csr);
        Assert.Equal(200, status);
        Assert.Equal(2, (await PendingAsync()).Count);
    }
}
