using System.Text.Json.Nodes;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Client;

[Trait("Category", "Lab")]
public sealed class ObjectVerbTests : IAsyncLifetime
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

    private static JsonObject ConfigMap(string name, string? app = null, string data = """{"a":"1","b":"2"}""") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = app is null ? null : new JsonObject { ["app"] = app } },
        ["data"] = JsonNode.Parse(data),
    };

    [Fact]
    public async Task Get_reads_a_seeded_object_over_https()
    {
        var node = await _client.GetAsync(ResourceType.Nodes, null, "master-1");

        Assert.Equal("Node", (string?)node["kind"]);
        Assert.Equal("master-1", (string?)node["metadata"]?["name"]);
        Assert.Equal("192.0.2.11", (string?)node["status"]?["addresses"]?[0]?["address"]);
    }

    [Fact]
    public async Task A_missing_object_is_a_typed_404_or_null_on_request()
    {
        var error = await Assert.ThrowsAsync<KubernetesNotFoundException>(() => _client.GetAsync(ResourceType.Nodes, null, "master-9"));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("NotFound", error.Reason);
        Assert.Equal("nodes \"master-9\" not found", error.ServerMessage);
        Assert.Contains("GET /api/v1/nodes/master-9 failed with HTTP 404 NotFound", error.Message);
        Assert.Null(await _client.TryGetAsync(ResourceType.Nodes, null, "master-9"));
    }

    [Fact]
    public async Task List_filters_by_label_and_field_selectors()
    {
        var masters = await _client.ListAsync(ResourceType.Nodes, null, new ListOptions { LabelSelector = "node-role.kubernetes.io/master" });
        var one = await _client.ListAsync(ResourceType.Nodes, null, new ListOptions { LabelSelector = "node-role.kubernetes.io/master", FieldSelector = "metadata.name=master-2" });
        var workers = await _client.ListAsync(ResourceType.Nodes, null, new ListOptions { LabelSelector = "!node-role.kubernetes.io/master" });

        Assert.Equal(["master-0", "master-1", "master-2"], masters.Items.Select(n => (string?)n["metadata"]?["name"]));
        Assert.Equal("master-2", (string?)Assert.Single(one.Items)["metadata"]?["name"]);
        Assert.Equal(["worker-0", "worker-1"], workers.Items.Select(n => (string?)n["metadata"]?["name"]));
        Assert.NotNull(masters.ResourceVersion);
        Assert.Null(masters.Continue);
    }

    [Fact]
    public async Task Pagination_walks_every_page_with_continue_tokens()
    {
        for (var i = 0; i < 7; i++) await _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap($"page-{i}", app: "paged"));
        await _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap("other", app: "unrelated"));
        var selector = new ListOptions { LabelSelector = "app=paged", Limit = 3 };

        var first = await _client.ListAsync(ResourceType.ConfigMaps, Ns, selector);
        var all = new List<string?>();
        await foreach (var item in _client.ListAllAsync(ResourceType.ConfigMaps, Ns, selector)) all.Add((string?)item["metadata"]?["name"]);

        Assert.Equal(3, first.Items.Count);
        Assert.NotNull(first.Continue);
        Assert.Equal(4, first.RemainingItemCount);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"page-{i}"), all);
        // The first list plus three pages of three, three and one.
        Assert.Equal(4, _lab.Faults.Requests.Count(r => r.Method == "GET" && r.Target.Contains("limit=3", StringComparison.Ordinal)));
        Assert.Equal(2, _lab.Faults.Requests.Count(r => r.Target.Contains("continue=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Create_returns_the_stored_object_and_a_second_create_is_already_exists()
    {
        var created = await _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap("restore-notes"));

        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() => _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap("restore-notes")));

        Assert.Equal(Ns, (string?)created["metadata"]?["namespace"]);
        Assert.NotNull((string?)created["metadata"]?["uid"]);
        Assert.True(error.IsAlreadyExists);
        Assert.Contains("An object with this name already exists", error.Message);
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_a_typed_409()
    {
        await _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap("fence"));
        var read = await _client.GetAsync(ResourceType.ConfigMaps, Ns, "fence");
        var mine = (JsonObject)read.DeepClone();
        mine["data"]!["a"] = "mine";
        var theirs = (JsonObject)read.DeepClone();
        theirs["data"]!["a"] = "theirs";

        var replaced = await _client.ReplaceAsync(ResourceType.ConfigMaps, Ns, "fence", theirs);
        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() => _client.ReplaceAsync(ResourceType.ConfigMaps, Ns, "fence", mine));

        Assert.NotEqual((string?)read["metadata"]?["resourceVersion"], (string?)replaced["metadata"]?["resourceVersion"]);
        Assert.False(error.IsAlreadyExists);
        Assert.Equal("Conflict", error.Reason);
        Assert.Contains("the object has been modified", error.ServerMessage);
        Assert.Contains("read it again and re-apply the change", error.Message);
        Assert.Equal("theirs", (string?)(await _client.GetAsync(ResourceType.ConfigMaps, Ns, "fence"))["data"]?["a"]);
    }

    [Fact]
    public async Task Merge_patch_deletes_with_null_and_replaces_lists_whole()
    {
        var cm = ConfigMap("merge");
        cm["metadata"]!["finalizers"] = new JsonArray("first.example.com", "second.example.com");
        await _client.CreateAsync(ResourceType.ConfigMaps, Ns, cm);

        var patched = await _client.MergePatchAsync(ResourceType.ConfigMaps, Ns, "merge",
            JsonNode.Parse("""{"data":{"a":null,"c":"3"},"metadata":{"finalizers":["third.example.com"]}}""")!);

        Assert.Equal("""{"b":"2","c":"3"}""", patched["data"]!.ToJsonString());
        Assert.Equal(["third.example.com"], patched["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(patched.ToJsonString(), (await _client.GetAsync(ResourceType.ConfigMaps, Ns, "merge")).ToJsonString());
    }

    [Fact]
    public async Task Json_patch_applies_operations_and_a_failed_test_is_a_typed_422()
    {
        await _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap("ops"));

        var patched = await _client.JsonPatchAsync(ResourceType.ConfigMaps, Ns, "ops", new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/a", ["value"] = "1" },
            new JsonObject { ["op"] = "replace", ["path"] = "/data/a", ["value"] = "10" },
            new JsonObject { ["op"] = "remove", ["path"] = "/data/b" }));
        var error = await Assert.ThrowsAsync<KubernetesInvalidException>(() => _client.JsonPatchAsync(ResourceType.ConfigMaps, Ns, "ops", new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/data/a", ["value"] = "1" })));

        Assert.Equal("""{"a":"10"}""", patched["data"]!.ToJsonString());
        Assert.Equal(422, error.StatusCode);
        Assert.Contains("testing value /data/a failed", error.ServerMessage);
    }

    [Fact]
    public async Task Strategic_merge_works_on_built_in_types_and_a_custom_resource_answers_a_typed_415()
    {
        await _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap("strategic"));

        var builtIn = await _client.StrategicMergePatchAsync(ResourceType.ConfigMaps, Ns, "strategic", JsonNode.Parse("""{"data":{"a":"9"}}""")!);
        var error = await Assert.ThrowsAsync<KubernetesUnsupportedMediaTypeException>(() =>
            _client.StrategicMergePatchAsync(ResourceType.Etcds, null, "cluster", JsonNode.Parse("""{"spec":{"forceRedeploymentReason":"x"}}""")!));

        Assert.Equal("9", (string?)builtIn["data"]?["a"]);
        Assert.Equal(415, error.StatusCode);
        Assert.Equal(PatchContentTypes.StrategicMerge, error.RequestContentType);
        Assert.Contains("do not accept strategic merge patches; send a merge patch instead", error.Message);
        Assert.Equal("", (string?)(await _client.GetAsync(ResourceType.Etcds, null, "cluster"))["spec"]?["forceRedeploymentReason"]);
    }

    [Fact]
    public async Task Delete_with_orphan_keeps_dependents_and_background_removes_them()
    {
        var (kept, keptSet) = await DeploymentWithReplicaSetAsync("kept");
        var (gone, goneSet) = await DeploymentWithReplicaSetAsync("gone");

        await _client.DeleteAsync(ResourceType.Deployments, Ns, kept, new DeleteOptions { Propagation = PropagationPolicy.Orphan });
        var deleted = await _client.DeleteAsync(ResourceType.Deployments, Ns, gone, new DeleteOptions { Propagation = PropagationPolicy.Background });

        var orphan = await _client.GetAsync(ResourceType.ReplicaSets, Ns, keptSet);
        Assert.Null(orphan["metadata"]?["ownerReferences"]?.AsArray().FirstOrDefault());
        Assert.Null(await _client.TryGetAsync(ResourceType.ReplicaSets, Ns, goneSet));
        Assert.Null(await _client.TryGetAsync(ResourceType.Deployments, Ns, gone));
        Assert.Equal(gone, (string?)deleted["metadata"]?["name"]);
    }

    [Fact]
    public async Task Delete_preconditions_refuse_a_namesake_with_409()
    {
        await _client.CreateAsync(ResourceType.ConfigMaps, Ns, ConfigMap("precise"));

        var error = await Assert.ThrowsAsync<KubernetesConflictException>(() =>
            _client.DeleteAsync(ResourceType.ConfigMaps, Ns, "precise", new DeleteOptions { Uid = "00000000-0000-0000-0000-000000000000" }));

        Assert.Contains("Precondition failed: UID in precondition", error.ServerMessage);
        Assert.NotNull(await _client.TryGetAsync(ResourceType.ConfigMaps, Ns, "precise"));
    }

    [Fact]
    public async Task Scale_reads_and_sets_replicas_through_the_scale_subresource_as_oc_scale_does()
    {
        await DeploymentWithReplicaSetAsync("etcd-operator", replicas: 3);

        var before = await _client.GetScaleAsync(ResourceType.Deployments, Ns, "etcd-operator");
        var after = await _client.ScaleAsync(ResourceType.Deployments, Ns, "etcd-operator", 0);
        var deployment = await _client.GetAsync(ResourceType.Deployments, Ns, "etcd-operator");

        Assert.Equal(3, before.Replicas);
        Assert.Equal("app=etcd-operator", before.Selector);
        Assert.Equal(0, after.Replicas);
        Assert.Equal(0, (int?)deployment["spec"]?["replicas"]);
        Assert.Contains(_lab.Faults.Requests, r => r is { Method: "PATCH" } && r.Target == $"/apis/apps/v1/namespaces/{Ns}/deployments/etcd-operator/scale");
    }

    [Fact]
    public async Task Csr_approval_puts_the_approved_condition_to_the_approval_subresource()
    {
        _lab.PutPendingCsr("rc-csr-serving", "kubernetes.io/kubelet-serving");

        var first = await _client.ApproveCertificateSigningRequestAsync("rc-csr-serving");
        var again = await _client.ApproveCertificateSigningRequestAsync("rc-csr-serving");

        var condition = first.Object["status"]!["conditions"]!.AsArray().Single()!;
        Assert.False(first.WasAlreadyApproved);
        Assert.Equal("Approved", (string?)condition["type"]);
        Assert.Equal("RecoveryConsoleApprove", (string?)condition["reason"]);
        Assert.NotNull((string?)first.Object["status"]?["certificate"]);
        Assert.True(again.WasAlreadyApproved);
        Assert.Single(_lab.Faults.Requests, r => r.Method == "PUT" && r.Target.EndsWith("/rc-csr-serving/approval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csr_approval_reads_again_after_a_conflict()
    {
        _lab.PutPendingCsr("rc-csr-client", "kubernetes.io/kube-apiserver-client-kubelet");
        _lab.Faults.FailNext(1, 409, when: r => r.Method == "PUT" && r.Target.EndsWith("/approval", StringComparison.Ordinal));

        var result = await _client.ApproveCertificateSigningRequestAsync("rc-csr-client");

        Assert.False(result.WasAlreadyApproved);
        Assert.Equal(2, _lab.Faults.Count("PUT", "/apis/certificates.k8s.io/v1/certificatesigningrequests/rc-csr-client/approval"));
        Assert.Equal(2, _lab.Faults.Count("GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests/rc-csr-client"));
    }

    private async Task<(string Deployment, string ReplicaSet)> DeploymentWithReplicaSetAsync(string name, int replicas = 1)
    {
        var deployment = await _client.CreateAsync(ResourceType.Deployments, Ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            },
        });
        var set = name + "-7d9f8c";
        await _client.CreateAsync(ResourceType.ReplicaSets, Ns, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = set,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name,
                    ["uid"] = (string?)deployment["metadata"]?["uid"], ["controller"] = true,
                }),
            },
        });
        return (name, set);
    }
}
