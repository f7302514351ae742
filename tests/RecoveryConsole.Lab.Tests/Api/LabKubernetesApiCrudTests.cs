using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Api;

[Trait("Category", "Lab")]
public sealed class LabKubernetesApiCrudTests
{
    private const string ConfigMaps = "/api/v1/namespaces/openshift-etcd/configmaps";
    private readonly ApiHarness _api = new();

    [Fact]
    public async Task Version_answers_like_kube_apiserver()
    {
        var (status, body) = await _api.SendAsync("GET", "/version");
        Assert.Equal(200, status);
        Assert.Equal("1", (string?)body["major"]);
        Assert.Equal("29", (string?)body["minor"]);
        Assert.StartsWith("v1.29.5+", (string?)body["gitVersion"]);
    }

    [Fact]
    public async Task Create_read_replace_delete()
    {
        var (status, created) = await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("restore-notes"));
        Assert.Equal(201, status);
        Assert.Equal("openshift-etcd", (string?)created["metadata"]!["namespace"]);
        Assert.False(string.IsNullOrEmpty((string?)created["metadata"]!["uid"]));
        var version1 = (string?)created["metadata"]!["resourceVersion"];

        var (getStatus, read) = await _api.SendAsync("GET", ConfigMaps + "/restore-notes");
        Assert.Equal(200, getStatus);
        Assert.Equal("value", (string?)read["data"]!["key"]);

        read["data"]!["key"] = "changed";
        var (putStatus, replaced) = await _api.SendAsync("PUT", ConfigMaps + "/restore-notes", read);
        Assert.Equal(200, putStatus);
        Assert.Equal("changed", (string?)replaced["data"]!["key"]);
        Assert.NotEqual(version1, (string?)replaced["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)replaced["metadata"]!["uid"]);

        var (deleteStatus, deleted) = await _api.SendAsync("DELETE", ConfigMaps + "/restore-notes");
        Assert.Equal(200, deleteStatus);
        Assert.Equal("restore-notes", (string?)deleted["metadata"]!["name"]);
        Assert.Equal(404, (await _api.SendAsync("GET", ConfigMaps + "/restore-notes")).Status);
    }

    [Fact]
    public async Task Every_write_bumps_the_resource_version()
    {
        var versions = new List<string?>();
        versions.Add((string?)(await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("a"))).Body["metadata"]!["resourceVersion"]);
        versions.Add((string?)(await _api.MergePatchAsync(ConfigMaps + "/a", """{"data":{"k2":"v"}}""")).Body["metadata"]!["resourceVersion"]);
        versions.Add((string?)(await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("b"))).Body["metadata"]!["resourceVersion"]);
        var list = (await _api.SendAsync("GET", ConfigMaps)).Body;
        Assert.Equal(3, versions.Distinct().Count());
        Assert.Equal(versions[^1], (string?)list["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Not_found_is_a_status_object()
    {
        var (status, body) = await _api.SendAsync("GET", "/api/v1/nodes/master-9");
        Assert.Equal(404, status);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("v1", (string?)body["apiVersion"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal("NotFound", (string?)body["reason"]);
        Assert.Equal(404, (int?)body["code"]);
        Assert.Equal("nodes \"master-9\" not found", (string?)body["message"]);
        Assert.Equal("master-9", (string?)body["details"]!["name"]);
        Assert.Equal("nodes", (string?)body["details"]!["kind"]);

        var (groupStatus, groupBody) = await _api.SendAsync("GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-x");
        Assert.Equal(404, groupStatus);
        Assert.Equal("certificatesigningrequests.certificates.k8s.io \"csr-x\" not found", (string?)groupBody["message"]);
        Assert.Equal("certificates.k8s.io", (string?)groupBody["details"]!["group"]);
    }

    [Fact]
    public async Task Creating_an_existing_object_is_409_already_exists()
    {
        await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("dup"));
        var (status, body) = await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("dup"));
        Assert.Equal(409, status);
        Assert.Equal("AlreadyExists", (string?)body["reason"]);
        Assert.Equal("configmaps \"dup\" already exists", (string?)body["message"]);
        Assert.Equal(409, (int?)body["code"]);
    }

    [Fact]
    public async Task Replacing_with_a_stale_resource_version_is_409_conflict()
    {
        var (_, created) = await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("cas"));
        var stale = (JsonObject)created.DeepClone();
        await _api.MergePatchAsync(ConfigMaps + "/cas", """{"data":{"key":"other writer"}}""");

        stale["data"]!["key"] = "mine";
        var (status, body) = await _api.SendAsync("PUT", ConfigMaps + "/cas", stale);
        Assert.Equal(409, status);
        Assert.Equal("Conflict", (string?)body["reason"]);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"cas\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)body["message"]);
        Assert.Equal("other writer", (string?)_api.Api.Get(ConfigMaps + "/cas")!["data"]!["key"]);
    }

    [Fact]
    public async Task Lists_filter_by_label_selector_and_field_selector()
    {
        await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("one", """{"app":"etcd","tier":"a"}"""));
        await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("two", """{"app":"etcd","tier":"b"}"""));
        await _api.SendAsync("POST", ConfigMaps, ApiHarness.ConfigMap("three", """{"app":"kube"}"""));

        async Task<List<string?>> Names(string query)
        {
            var (status, list) = await _api.SendAsync("GET", ConfigMaps + query);
            Assert.Equal(200, status);
            Assert.Equal("ConfigMapList", (string?)list["kind"]);
            return list["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ToList();
        }

        Assert.Equal(["one", "three", "two"], await Names(""));
        Assert.Equal(["one", "two"], await Names("?labelSelector=app%3Detcd"));
        Assert.Equal(["two"], await Names("?labelSelector=app=etcd,tier!=a"));
        Assert.Equal(["three"], await Names("?labelSelector=!tier"));
        Assert.Equal(["one", "three"], await Names("?labelSelector=" + Uri.EscapeDataString("app in (kube,etcd),tier notin (b)")));
        Assert.Equal(["two"], await Names("?fieldSelector=metadata.name%3Dtwo"));
    }

    [Fact]
    public async Task Seeded_nodes_carry_role_labels_and_are_ready()
    {
        var (_, masters) = await _api.SendAsync("GET", "/api/v1/nodes?labelSelector=node-role.kubernetes.io/master");
        Assert.Equal(["master-0", "master-1", "master-2"],
            masters["items"]!.AsArray().Select(n => (string?)n!["metadata"]!["name"]).ToList());
        Assert.All(masters["items"]!.AsArray(), n =>
            Assert.Equal("True", (string?)n!["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!["status"]));

        var (_, workers) = await _api.SendAsync("GET", "/api/v1/nodes?labelSelector=node-role.kubernetes.io/worker");
        Assert.Equal(["worker-0", "worker-1"], workers["items"]!.AsArray().Select(n => (string?)n!["metadata"]!["name"]).ToList());
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404()
    {
        var (status, body) = await _api.SendAsync("POST", "/api/v1/namespaces/nowhere/configmaps", ApiHarness.ConfigMap("x"));
        Assert.Equal(404, status);
        Assert.Equal("namespaces \"nowhere\" not found", (string?)body["message"]);
    }

    [Fact]
    public async Task Writes_to_the_main_resource_leave_status_alone_and_status_subresource_changes_only_status()
    {
        var node = _api.Api.Get("/api/v1/nodes/master-0")!;
        node["metadata"]!["labels"]!["drill"] = "yes";
        node["status"] = new JsonObject { ["phase"] = "tampered" };
        var (_, updated) = await _api.SendAsync("PUT", "/api/v1/nodes/master-0", node);
        Assert.Equal("yes", (string?)updated["metadata"]!["labels"]!["drill"]);
        Assert.Null(updated["status"]!["phase"]);
        Assert.NotNull(updated["status"]!["conditions"]);

        var (_, patched) = await _api.MergePatchAsync("/api/v1/nodes/master-0/status", """{"status":{"phase":"x"},"metadata":{"labels":{"drill":"no"}}}""");
        Assert.Equal("x", (string?)patched["status"]!["phase"]);
        Assert.Equal("yes", (string?)patched["metadata"]!["labels"]!["drill"]);
    }

    [Theory]
    [InlineData("GET", "/apis")]
    [InlineData("GET", "/api/v1/nodes/master-0/proxy")]
    [InlineData("GET", "/api/v1/nodes/master-0/approval")]
    public async Task Unknown_paths_are_404(string method, string path)
    {
        var (status, body) = await _api.SendAsync(method, path);
        Assert.Equal(404, status);
        Assert.Equal("the server could not find the requested resource", (string?)body["message"]);
    }

    [Fact]
    public async Task Unsupported_method_and_bad_json_are_status_errors()
    {
        Assert.Equal(405, (await _api.SendAsync("POST", "/api/v1/nodes/master-0")).Status);
        var response = await _api.Api.SendAsync(new ApiRequest("POST", ConfigMaps, "{not json"), CancellationToken.None);
        Assert.Equal(400, response.Status);
        Assert.Contains("\"reason\":\"BadRequest\"", response.Body);
    }

    [Fact]
    public async Task An_unavailable_server_throws_instead_of_answering()
    {
        _api.Api.Available = false;
        var e = await Assert.ThrowsAsync<ApiUnreachableException>(
            () => _api.Api.SendAsync(new ApiRequest("GET", "/version"), CancellationToken.None));
        Assert.Equal(_api.Api.Server, e.Server);

        _api.Api.Available = true;
        Assert.Equal(200, (await _api.SendAsync("GET", "/version")).Status);
    }
}
