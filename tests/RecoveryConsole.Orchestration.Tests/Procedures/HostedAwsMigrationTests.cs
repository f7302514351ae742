using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// The shipped procedure hosted-aws-migration.yaml (002, 8.6) run through RunService against the lab's hosted estate
/// with the scenario it recovers (the source management cluster's upgrade failed): three clusters over HTTPS with the
/// real client, S3 and Route53 over HTTP with SigV4, the lab's health as the judge.
/// </summary>
[Trait("Category", "Lab")]
public sealed class HostedAwsMigrationTests
{
    private const string Procedure = "hosted-aws-migration";
    private const string Scenario = "hosted-management-upgrade-failed";
    private const string Cp = HostedEstate.ControlPlaneNamespace;
    private const string HcPath = "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1";

    private static readonly Dictionary<string, string?> Parameters = new()
    {
        ["hcClusterName"] = HostedEstate.ClusterName, ["hcClusterNs"] = HostedEstate.ClusterNamespace, ["bucket"] = HostedEstate.Bucket,
    };

    private static Task<Guid> StartAsync(ProcedureDrill drill) => drill.Engine.Runs.StartAsync(
        new StartRunRequest(Procedure, HostedEstate.SourceName, Parameters,
            new Dictionary<string, string> { ["destination"] = HostedEstate.DestinationName, ["hosted"] = HostedEstate.HostedName }),
        ProcedureDrill.Operator, CancellationToken.None);

    private static async Task<ApiResponse> GetAsync(ProcedureDrill drill, string cluster, string path) =>
        await drill.Lab.Find(cluster)!.Api.SendAsync(new ApiRequest("GET", path), CancellationToken.None);

    /// <summary>What the hosted cluster's users stored (read through its own API), to compare before and after.</summary>
    private static async Task<string> HostedDataAsync(ProcedureDrill drill)
    {
        var configMap = await GetAsync(drill, HostedEstate.HostedName, "/api/v1/namespaces/shop/configmaps/storefront-config");
        var secret = await GetAsync(drill, HostedEstate.HostedName, "/api/v1/namespaces/shop/secrets/payment-gateway");
        Assert.True(configMap.IsSuccess && secret.IsSuccess, $"{configMap.Status} {secret.Status}");
        return $"{JsonNode.Parse(configMap.Body)!["data"]!.ToJsonString()} {JsonNode.Parse(secret.Body)!["data"]!.ToJsonString()}";
    }

    [Fact]
    public async Task Moves_the_hosted_cluster_to_the_destination_with_its_data_and_the_lab_is_healthy()
    {
        await using var drill = await ProcedureDrill.StartHostedEstateAsync(Scenario, [Procedure]);
        Assert.Contains(drill.Health().Problems, p => p.Code == HostedHealth.OnFailedManagement);
        var before = await HostedDataAsync(drill);

        var run = await drill.DriveAsync(await StartAsync(drill), 600);

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var health = drill.Health();
        Assert.True(health.Healthy, health.ToString());
        Assert.Equal(before, await HostedDataAsync(drill));
        Assert.Equal(404, (await GetAsync(drill, HostedEstate.SourceName, HcPath)).Status);
        var hc = JsonNode.Parse((await GetAsync(drill, HostedEstate.DestinationName, HcPath)).Body)!;
        Assert.Null(hc["spec"]!["pausedUntil"]);
        var url = (string)hc["spec"]!["etcd"]!["managed"]!["storage"]!["restoreSnapshotURL"]![0]!;
        Assert.Contains("hosted-1-etcd-0-snapshot.db", url, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);

        // Three members (HighlyAvailable): three snapshots taken in their pods and uploaded; the approver saw the
        // destructive groups; the presigned URL, a bearer credential, is nowhere in the transcript.
        var lines = (await drill.TranscriptAsync(run.Id)).Select(l => l.Text).ToList();
        foreach (var pod in new[] { "etcd-0", "etcd-1", "etcd-2" })
            Assert.Contains(lines, l => l.Contains($"hosted-1-{pod}-snapshot.db", StringComparison.Ordinal) && l.Contains("lab-hcp-backups", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("snapshot save /var/lib/data/snapshot.db", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("X-Amz-Signature", StringComparison.Ordinal));
        Assert.Contains("Delete the control-plane routes and wait until Route53 is clean", drill.Approved);
        Assert.Contains("Shut down and delete the hosted cluster on the source management cluster", drill.Approved);
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("unreachable")]
    public async Task An_S3_upload_that_fails_stops_the_run_before_anything_is_deleted_on_the_source(string fault)
    {
        await using var drill = await ProcedureDrill.StartHostedEstateAsync(Scenario, [Procedure]);
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // a port on 127.0.0.1 that nothing listens on
        drill.Estate!.Rewrite = c => c.Cloud is null ? c : c with
        {
            Cloud = fault == "wrong-secret"
                ? c.Cloud with { SecretAccessKey = "wrong" + c.Cloud.SecretAccessKey[5..] }
                : c.Cloud with { Endpoint = new Uri($"http://127.0.0.1:{port}/") },
        };
        var before = await HostedDataAsync(drill);

        var run = await drill.DriveAsync(await StartAsync(drill), 300);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains(run.Steps, s => s.StepPath.Contains("snapshot-upload", StringComparison.Ordinal) && s.Status == StepStatus.Failed);
        Assert.Contains(fault == "wrong-secret" ? "credentials" : "127.0.0.1", run.StatusReason, StringComparison.OrdinalIgnoreCase);
        // Nothing deleted on the source, nothing created on the destination: the operator can fix the account and
        // resume, or resume reconciliation and be where they started.
        Assert.Equal(200, (await GetAsync(drill, HostedEstate.SourceName, HcPath)).Status);
        Assert.NotEmpty(JsonNode.Parse((await GetAsync(drill, HostedEstate.SourceName, $"/apis/route.openshift.io/v1/namespaces/{Cp}/routes")).Body)!["items"]!.AsArray());
        Assert.Equal(404, (await GetAsync(drill, HostedEstate.DestinationName, $"/api/v1/namespaces/{HostedEstate.ClusterNamespace}")).Status);
        Assert.DoesNotContain("Delete the control-plane routes and wait until Route53 is clean", drill.Approved);

        // The account fixed, the run resumes where it stopped and finishes the move.
        drill.Estate.Rewrite = c => c;
        await drill.Engine.Runs.ResumeAsync(run.Id, ProcedureDrill.Operator, "S3 account corrected", CancellationToken.None);
        var resumed = await drill.DriveAsync(run.Id, 600);
        Assert.True(resumed.Status == RunStatus.Succeeded, await drill.ExplainAsync(resumed));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
        Assert.Equal(before, await HostedDataAsync(drill));
    }

    [Fact]
    public async Task A_statefulset_that_would_delete_its_volumes_when_scaled_is_refused_until_set_to_retain()
    {
        await using var drill = await ProcedureDrill.StartHostedEstateAsync(Scenario, [Procedure]);
        const string sts = $"/apis/apps/v1/namespaces/{Cp}/statefulsets/etcd";
        await PatchRetentionAsync(drill, sts, "Delete");

        var run = await drill.DriveAsync(await StartAsync(drill), 600);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("whenScaled", run.StatusReason, StringComparison.Ordinal);
        Assert.Contains("Retain", run.StatusReason, StringComparison.Ordinal);
        var etcd = JsonNode.Parse((await GetAsync(drill, HostedEstate.SourceName, sts)).Body)!;
        Assert.NotEqual(0, (int)etcd["spec"]!["replicas"]!); // not scaled: its volumes are intact
        Assert.Equal(200, (await GetAsync(drill, HostedEstate.SourceName, HcPath)).Status);

        await PatchRetentionAsync(drill, sts, "Retain");
        await drill.Engine.Runs.ResumeAsync(run.Id, ProcedureDrill.Operator, "whenScaled set to Retain on the source's etcd", CancellationToken.None);
        var resumed = await drill.DriveAsync(run.Id, 600);
        Assert.True(resumed.Status == RunStatus.Succeeded, await drill.ExplainAsync(resumed));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
    }

    private static async Task PatchRetentionAsync(ProcedureDrill drill, string path, string whenScaled)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["persistentVolumeClaimRetentionPolicy"] = new JsonObject { ["whenScaled"] = whenScaled, ["whenDeleted"] = "Retain" } } }.ToJsonString();
        var answer = await drill.Lab.Find(HostedEstate.SourceName)!.Api.SendAsync(new ApiRequest("PATCH", path, patch, "application/merge-patch+json"), CancellationToken.None);
        Assert.True(answer.IsSuccess, answer.Body);
    }

    [Fact]
    public async Task A_destination_without_external_dns_is_refused_before_anything_changes()
    {
        await using var drill = await ProcedureDrill.StartHostedEstateAsync(Scenario, [Procedure]);
        var installed = JsonNode.Parse((await GetAsync(drill, HostedEstate.DestinationName, ExternalDnsCheck.OperatorPath)).Body)!.AsObject();
        installed["spec"]!["template"]!["spec"]!["containers"]![0]!["args"] = new JsonArray("run");
        (installed["metadata"] as JsonObject)?.Remove("resourceVersion");
        var replaced = await drill.Lab.Find(HostedEstate.DestinationName)!.Api.SendAsync(
            new ApiRequest("PUT", ExternalDnsCheck.OperatorPath, installed.ToJsonString(), "application/json"), CancellationToken.None);
        Assert.True(replaced.IsSuccess, replaced.Body);

        var run = await drill.DriveAsync(await StartAsync(drill), 120);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("--external-dns", run.StatusReason, StringComparison.Ordinal);
        Assert.Empty(drill.Approved);
        var hc = JsonNode.Parse((await GetAsync(drill, HostedEstate.SourceName, HcPath)).Body)!;
        Assert.Null(hc["spec"]!["pausedUntil"]); // not even paused
        Assert.Equal(404, (await GetAsync(drill, HostedEstate.SourceName, "/api/v1/namespaces/default/configmaps/mgmt-parent-cluster")).Status);
    }

    [Fact]
    public async Task A_destination_that_already_has_the_namespace_is_refused_by_name_before_anything_changes()
    {
        await using var drill = await ProcedureDrill.StartHostedEstateAsync(Scenario, [Procedure]);
        var created = await drill.Lab.Find(HostedEstate.DestinationName)!.Api.SendAsync(new ApiRequest("POST", "/api/v1/namespaces",
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"clusters"}}""", "application/json"), CancellationToken.None);
        Assert.True(created.IsSuccess, created.Body);

        var run = await drill.DriveAsync(await StartAsync(drill), 120);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("The namespace clusters already exists on the destination management cluster", run.StatusReason, StringComparison.Ordinal);
        Assert.Empty(drill.Approved);
        Assert.Null(JsonNode.Parse((await GetAsync(drill, HostedEstate.SourceName, HcPath)).Body)!["spec"]!["pausedUntil"]);
    }
}
