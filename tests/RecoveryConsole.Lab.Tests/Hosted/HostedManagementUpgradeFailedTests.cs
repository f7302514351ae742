using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Transports;
using static RecoveryConsole.Lab.Tests.Hosted.HostedHarness;

namespace RecoveryConsole.Lab.Tests.Hosted;

/// <summary>Scenario 5 and document 002 (moving an AWS hosted cluster to another management cluster).</summary>
[Trait("Category", "Lab")]
public sealed class HostedManagementUpgradeFailedTests
{
    private const string Scenario = "hosted-management-upgrade-failed";
    private const string Snapshot = "hosted-1-etcd-0-snapshot.db";
    private const string Etcdctl = "env ETCDCTL_API=3 /usr/bin/etcdctl";
    private const string OldCerts = "--cacert /etc/etcd/tls/client/etcd-client-ca.crt --cert /etc/etcd/tls/client/etcd-client.crt --key /etc/etcd/tls/client/etcd-client.key --endpoints=localhost:2379";
    private const string Capi = "/apis/cluster.x-k8s.io/v1beta1/namespaces/" + Cp;
    private const string Infra = "/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/" + Cp;

    [Fact]
    public async Task The_fault_is_a_failed_management_upgrade_that_still_hosts_the_cluster()
    {
        var lab = new HostedHarness(Scenario);
        var problem = Assert.Single(lab.Application!.Health.Problems);
        Assert.Equal((HostedHealth.OnFailedManagement, A), (problem.Code, problem.Subject));
        var cv = await lab.MustApiAsync(A, "GET", "/apis/config.openshift.io/v1/clusterversions/version");
        Assert.Contains(cv["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Failing" && (string?)c["status"] == "True");
        Assert.Equal(2, (await lab.MustApiAsync(A, "GET", $"{Capi}/machines"))["items"]!.AsArray().Count);
        Assert.Equal(4, lab.Estate.Route53.Records.Count);
        Assert.All(lab.Estate.Route53.Records.Values, target => Assert.Equal($"router-default.apps.{A}.lab.example", target));
        // The same verdict whichever cluster of the estate is asked.
        Assert.True(lab.Health(B).Has(HostedHealth.OnFailedManagement));
        // Resetting the source resets the estate.
        lab.Scenarios.Reset(A);
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
    }

    /// <summary>The procedure of document 002, as a runner would send it.</summary>
    [Fact]
    public async Task Moving_the_hosted_cluster_to_the_destination_returns_the_estate_to_healthy()
    {
        var lab = new HostedHarness(Scenario);
        var keys = lab.Estate.Keys(lab.Estate.Serving!).Keys.Where(k => k.Contains("/shop/", StringComparison.Ordinal)).ToList();

        var backup = await BackUpSourceAsync(lab);
        await RestoreOnDestinationAsync(lab, backup, lab.Estate.S3.Presign($"s3://{HostedEstate.Bucket}/{Snapshot}", lab.Time.GetUtcNow()));
        await TearDownSourceAsync(lab);

        // The hosted cluster is served from the destination, its nodes came back; OVN pods are still of the old control plane.
        await lab.WaitUntilAsync("worker nodes Ready", async () =>
            (await lab.MustApiAsync(Guest, "GET", "/api/v1/nodes"))["items"]!.AsArray().All(n => n!["status"]!["conditions"]!.AsArray().Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True")));
        var health = lab.Health();
        Assert.True(health.Has(HostedHealth.OvnStale), health.ToString());
        // Not in document 002: the restored NodePool still has pausedUntil from the backup.
        Assert.True(health.Has(HostedHealth.Paused), health.ToString());
        await lab.MergePatchAsync(B, Np, "{\"spec\":{\"pausedUntil\":null}}");

        // Next steps: delete the OVN pods in the hosted cluster.
        await lab.MustApiAsync(Guest, "DELETE", "/api/v1/namespaces/openshift-ovn-kubernetes/pods");

        health = lab.Health();
        Assert.True(health.Healthy, health.ToString());
        Assert.Null(await GetOrNullAsync(lab, A, Hc));
        Assert.All(lab.Estate.Route53.Records.Values, target => Assert.Equal($"router-default.apps.{B}.lab.example", target));
        foreach (var key in keys) await lab.MustApiAsync(Guest, "GET", key);
        Assert.Equal(2, (await lab.MustApiAsync(Guest, "GET", "/api/v1/namespaces/openshift-ovn-kubernetes/pods"))["items"]!.AsArray().Count);
        Assert.Equal("True", (string?)(await lab.MustApiAsync(B, "GET", Hc))["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Available")!["status"]);
    }

    /// <summary>The init container fetches a URL of the lab's S3 endpoint presigned by AWSSDK.S3: its SigV4 is verified on the lab clock.</summary>
    [Fact]
    [Trait("Category", "S3")]
    public async Task The_hosted_etcd_restores_from_a_url_presigned_for_the_lab_endpoint_and_not_once_it_expired()
    {
        var lab = new HostedHarness(Scenario, DateTimeOffset.UtcNow);
        await using var cloud = await RecoveryConsole.Lab.Cloud.LabCloudEndpoint.StartAsync(lab.Estate);
        var backup = await BackUpSourceAsync(lab);
        using var s3 = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(lab.Estate.Credentials.AccessKeyId, lab.Estate.Credentials.SecretAccessKey),
            new Amazon.S3.AmazonS3Config { ServiceURL = cloud.Address.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        string Presign(TimeSpan validFor) => s3.GetPreSignedURL(new Amazon.S3.Model.GetPreSignedUrlRequest
        {
            BucketName = HostedEstate.Bucket, Key = Snapshot, Verb = Amazon.S3.HttpVerb.GET, Protocol = Amazon.S3.Protocol.HTTP, Expires = DateTime.UtcNow.Add(validFor),
        });
        var url = Presign(TimeSpan.FromMinutes(10));
        lab.Time.Advance(TimeSpan.FromMinutes(11));

        await RestoreOnDestinationAsync(lab, backup, url);
        var failure = Assert.Single(lab.Health().Of(HostedHealth.EtcdRestoreFailed));
        Assert.Contains("<Code>AccessDenied</Code><Message>Request has expired", failure.Message, StringComparison.Ordinal);

        // Created again with a URL presigned now for the document's hour (the SDK signs with the machine's clock, 11 minutes behind the lab's).
        await lab.MustApiAsync(B, "DELETE", Hc);
        var fresh = Presign(TimeSpan.FromHours(1));
        await lab.MustApiAsync(B, "POST", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters", NewHostedCluster(backup.Hc, [fresh]).ToJsonString());
        await lab.WaitUntilAsync("etcd restored on the destination", async () => (await lab.PodsAsync(B, "app=etcd")).Count(Ready) == 3);
        Assert.False(lab.Health().Has(HostedHealth.EtcdRestoreFailed));
        await lab.MustApiAsync(Guest, "GET", "/api/v1/namespaces/shop/configmaps/storefront-config");
    }

    [Fact]
    public async Task An_expired_presigned_url_fails_the_restore_and_cannot_be_replaced_in_place()
    {
        var lab = new HostedHarness(Scenario);
        var backup = await BackUpSourceAsync(lab);
        var url = lab.Estate.S3.Presign($"s3://{HostedEstate.Bucket}/{Snapshot}", lab.Time.GetUtcNow(), TimeSpan.FromHours(1));
        lab.Time.Advance(TimeSpan.FromHours(2)); // the backup took longer than the URL lives

        await RestoreOnDestinationAsync(lab, backup, url);
        var health = lab.Health();
        var failure = Assert.Single(health.Of(HostedHealth.EtcdRestoreFailed));
        Assert.Contains("<Code>AccessDenied</Code><Message>Request has expired</Message>", failure.Message, StringComparison.Ordinal);
        Assert.True(health.Has(HostedHealth.Unavailable));
        var etcd0 = (await lab.PodsAsync(B, "app=etcd")).Single(p => (string?)p["metadata"]!["name"] == "etcd-0");
        Assert.Equal("Pending", (string?)etcd0["status"]!["phase"]);
        Assert.Equal("CrashLoopBackOff", (string?)etcd0["status"]!["initContainerStatuses"]![0]!["state"]!["waiting"]!["reason"]);
        await Assert.ThrowsAsync<ApiUnreachableException>(() => lab.ApiAsync(Guest, "GET", "/api/v1/nodes"));

        // restoreSnapshotURL is set at creation only.
        var fresh = lab.Estate.S3.Presign($"s3://{HostedEstate.Bucket}/{Snapshot}", lab.Time.GetUtcNow());
        var (status, body) = await lab.ApiAsync(B, "PATCH", Hc, new JsonObject { ["spec"] = new JsonObject { ["etcd"] = new JsonObject { ["managed"] = new JsonObject { ["storage"] = new JsonObject { ["restoreSnapshotURL"] = new JsonArray(fresh) } } } } }.ToJsonString(), "application/merge-patch+json");
        Assert.Equal(422, status);
        Assert.Contains("RestoreSnapshotURL is immutable", (string?)body!["message"], StringComparison.Ordinal);

        // The way out: delete the HostedCluster (its control plane goes with it) and create it again with a fresh URL.
        await lab.MustApiAsync(B, "DELETE", Hc);
        Assert.Empty(await lab.PodsAsync(B, "app=etcd"));
        await lab.MustApiAsync(B, "POST", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters", NewHostedCluster(backup.Hc, [fresh]).ToJsonString());
        await lab.WaitUntilAsync("etcd restored on the destination", async () => (await lab.PodsAsync(B, "app=etcd")).Count(Ready) == 3);
        Assert.False(lab.Health().Has(HostedHealth.EtcdRestoreFailed));
        await lab.MustApiAsync(Guest, "GET", "/api/v1/namespaces/shop/configmaps/storefront-config");
    }

    [Fact]
    public async Task The_hosted_cluster_validates_restore_urls_and_paused_until()
    {
        var lab = new HostedHarness(Scenario);
        var backup = await BackUpSourceAsync(lab);
        await lab.MustApiAsync(B, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"clusters\"}}");
        var two = await lab.ApiAsync(B, "POST", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters",
            NewHostedCluster(backup.Hc, ["s3://lab-hcp-backups/a.db", "s3://lab-hcp-backups/b.db"]).ToJsonString());
        Assert.Equal(422, two.Status);
        Assert.Contains("must have at most 1 items", (string?)two.Body!["message"], StringComparison.Ordinal);
        var http = await lab.ApiAsync(B, "POST", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters",
            NewHostedCluster(backup.Hc, ["http://lab-hcp-backups.s3.amazonaws.com/a.db"]).ToJsonString());
        Assert.Equal(422, http.Status);
        var badDate = await lab.ApiAsync(A, "PATCH", Hc, "{\"spec\":{\"pausedUntil\":\"tomorrow\"}}", "application/merge-patch+json");
        Assert.Equal(422, badDate.Status);
        // An RFC3339 date pauses until then.
        var until = lab.Time.GetUtcNow().AddHours(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await lab.MergePatchAsync(A, Hc, $"{{\"spec\":{{\"pausedUntil\":\"{until}\"}}}}");
        Assert.Contains(lab.Health().Of(HostedHealth.Paused), p => p.Subject == $"{A}/HostedCluster" && p.Message.Contains(until, StringComparison.Ordinal));
        lab.Time.Advance(TimeSpan.FromHours(2));
        // The date has passed: the HostedCluster reconciles again (the NodePool is still paused with "true").
        Assert.Equal([$"{A}/NodePool"], lab.Health().Of(HostedHealth.Paused).Select(p => p.Subject).ToList());
    }

    [Fact]
    public async Task Leaving_the_source_running_is_a_split_brain_and_its_routes_keep_the_dns()
    {
        var lab = new HostedHarness(Scenario);
        var backup = await BackUpSourceAsync(lab, deleteRoutes: false);
        await RestoreOnDestinationAsync(lab, backup, lab.Estate.S3.Presign($"s3://{HostedEstate.Bucket}/{Snapshot}", lab.Time.GetUtcNow()));
        var health = lab.Health();
        Assert.True(health.Has(HostedHealth.DnsStale), health.ToString());
        Assert.True(health.Has(HostedHealth.SourceStillActive), health.ToString());

        // Unpausing and scaling the source back up: both control planes serve.
        await lab.MergePatchAsync(A, Hc, "{\"spec\":{\"pausedUntil\":null}}");
        health = lab.Health();
        Assert.Contains(health.Of(HostedHealth.SourceStillActive), p => p.Message.Contains("both active", StringComparison.Ordinal));
    }

    private sealed record Backup(JsonObject Hc, JsonObject Np, List<(string Path, JsonObject Object)> Objects);

    /// <summary>Document 002 on the source: pause, scale down, etcd to S3, back up the objects, delete the routes.</summary>
    private static async Task<Backup> BackUpSourceAsync(HostedHarness lab, bool deleteRoutes = true)
    {
        await lab.MustApiAsync(A, "POST", "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"mgmt-parent-cluster\"},\"data\":{\"from\":\"lab-mgmt-a\"}}");
        await lab.MergePatchAsync(A, Hc, "{\"spec\":{\"pausedUntil\":\"true\"}}");
        await lab.MergePatchAsync(A, Np, "{\"spec\":{\"pausedUntil\":\"true\"}}");
        foreach (var name in new[] { "kube-apiserver", "openshift-apiserver", "openshift-oauth-apiserver", "control-plane-operator" })
            await lab.ScaleAsync(A, $"deployment/{name}", 0);

        // etcd backup (oc exec without -c: kubectl defaults to the first container, etcd), uploaded to the bucket.
        await lab.MustExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} {OldCerts} snapshot save /var/lib/data/snapshot.db");
        Assert.Contains("TOTAL KEYS", await lab.MustExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} -w table snapshot status /var/lib/data/snapshot.db"), StringComparison.Ordinal);
        await lab.MustExecAsync(A, "etcd-0", "etcd",
            $"curl -X PUT -T \"/var/lib/data/snapshot.db\" -H \"Host: {HostedEstate.Bucket}.s3.amazonaws.com\" -H \"Date: Sun, 01 Sep 2024 08:00:00 +0000\" " +
            $"-H \"Content-Type: application/x-compressed-tar\" -H \"Authorization: AWS AKIALABEXAMPLE:c2lnbmF0dXJl\" https://{HostedEstate.Bucket}.s3.amazonaws.com/{Snapshot}");
        Assert.Contains(Snapshot, lab.Estate.S3.Keys);

        var objects = new List<(string, JsonObject)>();
        async Task Save(string collection, Func<JsonObject, bool>? keep = null)
        {
            foreach (var item in (await lab.MustApiAsync(A, "GET", collection))["items"]!.AsArray().OfType<JsonObject>().Where(o => keep?.Invoke(o) ?? true))
                objects.Add((collection, Strip(item)));
        }
        var hc = Strip(await lab.MustApiAsync(A, "GET", Hc));
        var np = Strip(await lab.MustApiAsync(A, "GET", Np));
        await Save("/api/v1/namespaces/clusters/secrets", s => ((string)s["metadata"]!["name"]!).StartsWith("hosted-1", StringComparison.Ordinal));
        await Save($"/api/v1/namespaces/{Cp}/secrets", s => !System.Text.RegularExpressions.Regex.IsMatch((string)s["metadata"]!["name"]!, "docker|service-account-token|oauth-openshift|token-hosted-1"));
        await Save($"/apis/hypershift.openshift.io/v1beta1/namespaces/{Cp}/hostedcontrolplanes");
        await Save($"{Capi}/clusters");
        await Save($"{Infra}/awsclusters");
        await Save($"{Infra}/awsmachinetemplates");
        await Save($"{Infra}/awsmachines");
        await Save($"{Capi}/machinedeployments");
        await Save($"{Capi}/machinesets");
        await Save($"{Capi}/machines");

        if (deleteRoutes)
        {
            await lab.MustApiAsync(A, "DELETE", $"/apis/route.openshift.io/v1/namespaces/{Cp}/routes");
            Assert.Empty(lab.Estate.Route53.Records);
        }
        return new Backup(hc, np, objects);
    }

    /// <summary>Document 002 on the destination: namespaces, secrets, objects, the HostedCluster with the restore URL, the NodePool.</summary>
    private static async Task RestoreOnDestinationAsync(HostedHarness lab, Backup backup, string url)
    {
        await lab.MustApiAsync(B, "POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"clusters\"}}");
        await lab.MustApiAsync(B, "POST", "/api/v1/namespaces", $"{{\"metadata\":{{\"name\":\"{Cp}\"}}}}");
        foreach (var (collection, obj) in backup.Objects) await lab.MustApiAsync(B, "POST", collection, obj.ToJsonString());
        await lab.MustApiAsync(B, "POST", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters", NewHostedCluster(backup.Hc, [url]).ToJsonString());
        await lab.MustApiAsync(B, "POST", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools", backup.Np.ToJsonString());
    }

    /// <summary>Document 002: tear the control plane down on the source.</summary>
    private static async Task TearDownSourceAsync(HostedHarness lab)
    {
        foreach (var d in (await lab.MustApiAsync(A, "GET", $"/apis/apps/v1/namespaces/{Cp}/deployments"))["items"]!.AsArray())
            await lab.ScaleAsync(A, $"deployment/{(string)d!["metadata"]!["name"]!}", 0);
        await lab.ScaleAsync(A, "statefulset/etcd", 0);
        const string removeFinalizers = "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]";
        await lab.MustApiAsync(A, "PATCH", Np, removeFinalizers, "application/json-patch+json");
        await lab.MustApiAsync(A, "DELETE", Np);
        foreach (var collection in new[] { $"{Capi}/machines", $"{Capi}/machinesets", $"{Capi}/clusters", $"{Infra}/awsmachines" })
        {
            foreach (var m in (await lab.MustApiAsync(A, "GET", collection))["items"]!.AsArray())
            {
                var path = $"{collection}/{(string)m!["metadata"]!["name"]!}";
                await lab.ApiAsync(A, "PATCH", path, removeFinalizers, "application/json-patch+json");
                await lab.MustApiAsync(A, "DELETE", path);
            }
        }
        var hcp = $"/apis/hypershift.openshift.io/v1beta1/namespaces/{Cp}/hostedcontrolplanes/hosted-1";
        await lab.MustApiAsync(A, "PATCH", hcp, removeFinalizers, "application/json-patch+json");
        await lab.MustApiAsync(A, "DELETE", hcp);
        await lab.MustApiAsync(A, "DELETE", $"/api/v1/namespaces/{Cp}");
        await lab.MergePatchAsync(A, Hc, "{\"metadata\":{\"finalizers\":null}}");
        await lab.MustApiAsync(A, "DELETE", Hc);
        await lab.MustApiAsync(A, "DELETE", "/api/v1/namespaces/clusters");
    }

    /// <summary>The backup with restoreSnapshotURL after `type: PersistentVolume` and without pausedUntil (the document's sed).</summary>
    private static JsonObject NewHostedCluster(JsonObject backup, string[] urls)
    {
        var hc = (JsonObject)backup.DeepClone();
        ((JsonObject)hc["spec"]!).Remove("pausedUntil");
        hc["spec"]!["etcd"]!["managed"]!["storage"]!["restoreSnapshotURL"] = new JsonArray(urls.Select(u => (JsonNode)JsonValue.Create(u)!).ToArray());
        return hc;
    }

    /// <summary>`oc get -o yaml` minus status and the fields the server owns (what `oc apply` of a backup sends).</summary>
    private static JsonObject Strip(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
            foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" }) metadata.Remove(field);
        return copy;
    }

    private static async Task<JsonNode?> GetOrNullAsync(HostedHarness lab, string cluster, string path)
    {
        var (status, body) = await lab.ApiAsync(cluster, "GET", path);
        return status == 404 ? null : body;
    }
}
