using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Transports;
using static RecoveryConsole.Lab.Tests.Hosted.HostedHarness;

namespace RecoveryConsole.Lab.Tests.Hosted;

/// <summary>Scenario 4 and document 004 (8.3.1: etcd backup and restore of a hosted cluster on premises).</summary>
[Trait("Category", "Lab")]
public sealed class HostedEtcdMemberCorruptedTests
{
    private const string Scenario = "hosted-etcd-member-corrupted";
    private const string Etcdctl = "env ETCDCTL_API=3 /usr/bin/etcdctl";

    [Fact]
    public void A_fresh_estate_is_healthy_and_labelled_simulated()
    {
        var lab = new HostedHarness();
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        Assert.All(lab.Registry.List(), c => Assert.True(c.IsSimulated));
        Assert.Equal([Guest, A, B], lab.Registry.List().Select(c => c.Name).ToList());
        Assert.Equal("hosted", lab.Cluster(A).Model!.Kind);
        Assert.Contains(lab.Scenarios.ListFor(A), s => s.Id == Scenario);
    }

    [Fact]
    public async Task The_fault_is_one_crash_looping_member_while_etcd_keeps_quorum()
    {
        var lab = new HostedHarness(Scenario);
        var problem = Assert.Single(lab.Application!.Health.Problems);
        Assert.Equal((HostedHealth.EtcdMemberCrashLoop, $"{A}/etcd-1"), (problem.Code, problem.Subject));
        Assert.Contains("panic: freepages", problem.Message, StringComparison.Ordinal);

        var pods = await lab.PodsAsync(A, "app=etcd");
        Assert.Equal(["etcd-0", "etcd-1", "etcd-2"], pods.Select(p => (string)p["metadata"]!["name"]!).Order().ToList());
        var crashing = pods.Single(p => (string?)p["metadata"]!["name"] == "etcd-1");
        Assert.Equal("CrashLoopBackOff", (string?)crashing["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]);
        // On premises: no AWS objects; the hosted cluster's API still answers.
        Assert.Empty((await lab.MustApiAsync(A, "GET", $"/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{Cp}/awsmachines"))["items"]!.AsArray());
        Assert.Equal("Agent", (string?)(await lab.MustApiAsync(A, "GET", Hc))["spec"]!["platform"]!["type"]);
        await lab.MustApiAsync(Guest, "GET", "/api/v1/namespaces/shop/configmaps/storefront-config");

        var health = await lab.ExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} {EtcdCerts} endpoint health");
        Assert.Equal(0, health.Code);
        Assert.StartsWith("https://localhost:2379 is healthy: successfully committed proposal: took = ", health.Out, StringComparison.Ordinal);
        var broken = await lab.ExecAsync(A, "etcd-1", "etcd", $"{Etcdctl} {EtcdCerts} endpoint health");
        Assert.Equal((1, "Error: context deadline exceeded\n"), (broken.Code, broken.Err));
    }

    /// <summary>The whole procedure of document 004, step by step, through the API and pods/exec.</summary>
    [Fact]
    public async Task Backup_and_restore_of_the_hosted_etcd_returns_the_estate_to_healthy()
    {
        var lab = new HostedHarness(Scenario);
        var keysBefore = lab.Estate.Keys(lab.Estate.Serving!).Keys.ToList();

        // 1. Pause reconciliation, scale the API servers down.
        await lab.MergePatchAsync(A, Hc, "{\"spec\":{\"pausedUntil\":\"true\"}}");
        foreach (var name in new[] { "kube-apiserver", "openshift-apiserver", "openshift-oauth-apiserver" }) await lab.ScaleAsync(A, $"deployment/{name}", 0);
        Assert.True(lab.Health().Has(HostedHealth.Paused));
        Assert.True(lab.Health().Has(HostedHealth.ApiServersScaledDown));
        // API downtime: the hosted cluster's API no longer answers.
        await Assert.ThrowsAsync<ApiUnreachableException>(() => lab.ApiAsync(Guest, "GET", "/api/v1/nodes"));

        // 2. Snapshot from a running member.
        var etcdPods = await lab.PodsAsync(A, "app=etcd");
        Assert.Contains(etcdPods, p => (string?)p["metadata"]!["name"] == "etcd-0" && Ready(p));
        var saved = await lab.MustExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} {EtcdCerts} snapshot save /var/lib/snapshot.db");
        Assert.EndsWith("Snapshot saved at /var/lib/snapshot.db\n", saved, StringComparison.Ordinal);
        var status = await lab.MustExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} -w table snapshot status /var/lib/snapshot.db");
        Assert.Contains("|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |", status, StringComparison.Ordinal);
        Assert.Contains($"| {keysBefore.Count + 1,10} |", status, StringComparison.Ordinal);

        var (tarCode, archive, tarError) = await lab.ExecBytesAsync(A, "etcd-0", "etcd", ["tar", "cf", "-", "/var/lib/snapshot.db"]);
        Assert.Equal((0, "tar: Removing leading `/' from member names\n"), (tarCode, tarError));
        var local = Untar(archive);
        Assert.Equal(LocalSha(local) + "  /var/lib/snapshot.db\n", await lab.MustExecAsync(A, "etcd-0", "etcd", "sha256sum /var/lib/snapshot.db"));

        // 3. Scale etcd down, delete the volumes of the second and third members.
        await lab.ScaleAsync(A, "statefulset/etcd", 0);
        Assert.Empty(await lab.PodsAsync(A, "app=etcd"));
        await lab.MustApiAsync(A, "DELETE", $"/api/v1/namespaces/{Cp}/persistentvolumeclaims/data-etcd-1");
        await lab.MustApiAsync(A, "DELETE", $"/api/v1/namespaces/{Cp}/persistentvolumeclaims/data-etcd-2");

        // A pod with the first member's data.
        var image = (string)(await lab.MustApiAsync(A, "GET", $"/apis/apps/v1/namespaces/{Cp}/statefulsets/etcd"))["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!;
        await lab.MustApiAsync(A, "POST", $"/apis/apps/v1/namespaces/{Cp}/deployments", EtcdDataDeployment(image));
        var dataPod = (string)Assert.Single(await lab.PodsAsync(A, "app=etcd-data"))["metadata"]!["name"]!;

        // The snapshot into the pod: oc cp ...:/var/lib/snapshot.db /tmp/etcd.snapshot.db was taken before etcd went down
        // (below), and oc cp /tmp/etcd.snapshot.db ${DATA_POD}:/var/lib/restored.snap.db: tar over exec, both ways.
        var (extract, _, untarError) = await lab.ExecBytesAsync(A, dataPod, null, ["tar", "-xmf", "-", "-C", "/var/lib"], Retar(local, "restored.snap.db"));
        Assert.True(extract == 0, untarError);
        Assert.Equal(LocalSha(local) + "  /var/lib/restored.snap.db\n", await lab.MustExecAsync(A, dataPod, null, "sha256sum /var/lib/restored.snap.db"));
        await lab.MustExecAsync(A, dataPod, null, "rm -rf /var/lib/data");
        await lab.MustExecAsync(A, dataPod, null, "mkdir -p /var/lib/data");
        var restored = await lab.MustExecAsync(A, dataPod, null, RestoreCommand());
        Assert.Contains("restored snapshot", restored, StringComparison.Ordinal);
        await lab.MustExecAsync(A, dataPod, null, "rm /var/lib/restored.snap.db");
        await lab.MustApiAsync(A, "DELETE", $"/apis/apps/v1/namespaces/{Cp}/deployments/etcd-data");

        // Scale etcd up, wait for the members, scale the API servers up.
        await lab.ScaleAsync(A, "statefulset/etcd", 3);
        await lab.WaitUntilAsync("three ready etcd members", async () => (await lab.PodsAsync(A, "app=etcd")).Count(Ready) == 3);
        var members = await lab.MustExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} {EtcdCerts} member list -w json");
        Assert.Equal(["etcd-0", "etcd-1", "etcd-2"], JsonNode.Parse(members)!["members"]!.AsArray().Select(m => (string)m!["name"]!).ToList());
        foreach (var name in new[] { "kube-apiserver", "openshift-apiserver", "openshift-oauth-apiserver" }) await lab.ScaleAsync(A, $"deployment/{name}", 3);

        // 4. Unpause (the document sets "", null removes the field; both unpause).
        await lab.MergePatchAsync(A, Hc, "{\"spec\":{\"pausedUntil\":null}}");

        var health = lab.Health();
        Assert.True(health.Healthy, health.ToString());
        Assert.Equal(keysBefore, lab.Estate.Keys(lab.Estate.Serving!).Keys.ToList());
        var config = await lab.MustApiAsync(Guest, "GET", "/api/v1/namespaces/shop/configmaps/storefront-config");
        Assert.Equal("EUR", (string?)config["data"]!["currency"]);
        Assert.Equal("True", (string?)(await lab.MustApiAsync(A, "GET", Hc))["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Available")!["status"]);
    }

    [Fact]
    public async Task Deleting_the_corrupted_members_claim_and_pod_lets_it_rejoin_with_all_keys()
    {
        var lab = new HostedHarness(Scenario);
        await lab.MustApiAsync(A, "DELETE", $"/api/v1/namespaces/{Cp}/persistentvolumeclaims/data-etcd-1");
        // pvc-protection: the claim's volume stays while the pod mounts it; the member still crash-loops.
        Assert.True(lab.Health().Has(HostedHealth.EtcdMemberCrashLoop));
        await lab.MustApiAsync(A, "DELETE", $"/api/v1/namespaces/{Cp}/pods/etcd-1");
        await lab.WaitUntilAsync("etcd-1 ready again", async () => (await lab.PodsAsync(A, "app=etcd")).Count(Ready) == 3);
        await lab.MustApiAsync(A, "GET", $"/api/v1/namespaces/{Cp}/persistentvolumeclaims/data-etcd-1");
        var members = await lab.MustExecAsync(A, "etcd-1", "etcd", $"{Etcdctl} {EtcdCerts} member list");
        Assert.Equal(3, members.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        await lab.MustApiAsync(Guest, "GET", "/api/v1/namespaces/shop/secrets/payment-gateway");
    }

    [Fact]
    public async Task Unpausing_before_etcd_is_back_starts_an_empty_etcd_and_loses_the_hosted_clusters_data()
    {
        var lab = new HostedHarness(Scenario);
        await lab.MergePatchAsync(A, Hc, "{\"spec\":{\"pausedUntil\":\"true\"}}");
        foreach (var name in new[] { "kube-apiserver", "openshift-apiserver", "openshift-oauth-apiserver" }) await lab.ScaleAsync(A, $"deployment/{name}", 0);
        await lab.MustExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} {EtcdCerts} snapshot save /var/lib/snapshot.db");
        await lab.ScaleAsync(A, "statefulset/etcd", 0);
        await lab.MustApiAsync(A, "DELETE", $"/api/v1/namespaces/{Cp}/persistentvolumeclaims/data-etcd-1");
        await lab.MustApiAsync(A, "DELETE", $"/api/v1/namespaces/{Cp}/persistentvolumeclaims/data-etcd-2");
        await lab.MustApiAsync(A, "POST", $"/apis/apps/v1/namespaces/{Cp}/deployments", EtcdDataDeployment("etcd"));
        var dataPod = (string)Assert.Single(await lab.PodsAsync(A, "app=etcd-data"))["metadata"]!["name"]!;
        await lab.MustExecAsync(A, dataPod, null, "rm -rf /var/lib/data");

        // Wrong: unpause now. The operator scales etcd and the API servers back; etcd-0 finds an empty data directory.
        await lab.MergePatchAsync(A, Hc, "{\"spec\":{\"pausedUntil\":null}}");
        Assert.Equal(3, (await lab.PodsAsync(A, "app=etcd")).Count);
        var health = lab.Health();
        Assert.True(health.Has(HostedHealth.DataLost), health.ToString());
        Assert.Equal(404, (await lab.ApiAsync(Guest, "GET", "/api/v1/namespaces/shop/configmaps/storefront-config")).Status);
    }

    [Fact]
    public async Task Wrong_etcd_commands_fail_as_etcd_does()
    {
        var lab = new HostedHarness(Scenario);
        // The client certificate path of another layout.
        var wrongCert = await lab.ExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} --cert /etc/kubernetes/etcd-client.crt --key /etc/etcd/tls/client/etcd-client.key snapshot save /var/lib/s.db");
        Assert.Equal((1, "Error: open /etc/kubernetes/etcd-client.crt: no such file or directory\n"), (wrongCert.Code, wrongCert.Err));
        // No certificates at all.
        var noCert = await lab.ExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} --endpoints=https://localhost:2379 member list");
        Assert.Equal(1, noCert.Code);
        Assert.EndsWith("Error: context deadline exceeded\n", noCert.Err, StringComparison.Ordinal);
        // A snapshot from the corrupted member.
        var fromBroken = await lab.ExecAsync(A, "etcd-1", "etcd", $"{Etcdctl} {EtcdCerts} snapshot save /var/lib/snapshot.db");
        Assert.Equal(1, fromBroken.Code);
        // Restoring into a data directory that still holds a member.
        await lab.MustExecAsync(A, "etcd-0", "etcd", $"{Etcdctl} {EtcdCerts} snapshot save /var/lib/restored.snap.db");
        var notEmpty = await lab.ExecAsync(A, "etcd-0", "etcd", RestoreCommand());
        Assert.Equal((1, "Error: data-dir \"/var/lib/data\" not empty or could not be read\n"), (notEmpty.Code, notEmpty.Err));
        // A raw copy of member/snap/db needs --skip-hash-check.
        await lab.MustExecAsync(A, "etcd-0", "etcd", "cp /var/lib/data/member/snap/db /var/lib/raw.db");
        await lab.MustExecAsync(A, "etcd-0", "etcd", "rm -rf /var/lib/data");
        var raw = await lab.ExecAsync(A, "etcd-0", "etcd", "etcdutl snapshot restore /var/lib/raw.db --data-dir=/var/lib/data --name etcd-0 --initial-cluster etcd-0=https://etcd-0.etcd-discovery.clusters-hosted-1.svc:2380");
        Assert.Equal((1, "Error: snapshot missing hash but --skip-hash-check=false\n"), (raw.Code, raw.Err));
        Assert.Equal(127, (await lab.ExecAsync(A, "etcd-0", "etcd", "etcdctl3 member list")).Code);
    }

    private static byte[] Untar(byte[] archive)
    {
        using var reader = new System.Formats.Tar.TarReader(new MemoryStream(archive));
        var entry = reader.GetNextEntry()!;
        Assert.Equal("var/lib/snapshot.db", entry.Name);
        using var data = new MemoryStream();
        entry.DataStream!.CopyTo(data);
        Assert.Null(reader.GetNextEntry());
        return data.ToArray();
    }

    private static byte[] Retar(byte[] content, string name)
    {
        using var archive = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(archive, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        return archive.ToArray();
    }

    private static string LocalSha(byte[] content) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content)).ToLowerInvariant();

    private static string RestoreCommand() =>
        "etcdutl snapshot restore /var/lib/restored.snap.db --data-dir=/var/lib/data --skip-hash-check --name etcd-0 --initial-cluster-token=etcd-cluster " +
        $"--initial-cluster etcd-0=https://etcd-0.etcd-discovery.{Cp}.svc:2380,etcd-1=https://etcd-1.etcd-discovery.{Cp}.svc:2380,etcd-2=https://etcd-2.etcd-discovery.{Cp}.svc:2380 " +
        $"--initial-advertise-peer-urls https://etcd-0.etcd-discovery.{Cp}.svc:2380";

    private static string EtcdDataDeployment(string image) => new JsonObject
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = "etcd-data" },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "etcd-data" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "etcd-data" } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "access",
                        ["image"] = image,
                        ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/var/lib" }),
                        ["command"] = new JsonArray("/usr/bin/bash"),
                        ["args"] = new JsonArray("-c", "while true; do\n  sleep 1000\ndone"),
                    }),
                    ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = "data-etcd-0" } }),
                },
            },
        },
    }.ToJsonString();
}
