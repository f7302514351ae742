using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// The shipped procedure hosted-etcd-restore-on-premises (document 004, 8.3.1) run through RunService against the hosted
/// lab estate, lab-mgmt-a reached over HTTPS with the real client; the lab's own health and keyspace are the judges.
/// </summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class HostedEtcdRestoreOnPremisesTests
{
    private const string Procedure = "hosted-etcd-restore-on-premises";
    private const string A = HostedEstate.SourceName;
    private const string Cp = HostedEstate.ControlPlaneNamespace;
    private const string Claims = $"/api/v1/namespaces/{Cp}/persistentvolumeclaims";

    private static readonly Dictionary<string, string?> Parameters = new() { ["clusterName"] = HostedEstate.ClusterName };

    [Fact]
    public async Task A_snapshot_from_the_running_member_restores_the_hosted_etcd_with_every_key()
    {
        await using var drill = await StartAsync();
        var staged = drill.Stage("hosted-etcd-member-corrupted");
        Assert.True(staged.Has(HostedHealth.EtcdMemberCrashLoop), staged.ToString());
        var atBackup = Keyspace(drill, "etcd-0");

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters, A));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var health = drill.Health();
        Assert.True(health.Healthy, health.ToString());
        foreach (var member in new[] { "etcd-0", "etcd-1", "etcd-2" })
            Assert.Equal(atBackup, Keyspace(drill, member));
        var config = await drill.Lab.FindLab(HostedEstate.HostedName)!.Api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/shop/configmaps/storefront-config"), default);
        Assert.True(config.IsSuccess, config.Body);
        Assert.Equal("EUR", (string?)JsonNode.Parse(config.Body)!["data"]!["currency"]);

        Assert.Equal(StepStatus.Skipped, run.FindStep("snapshot/copy-member-db")!.Status);
        Assert.Contains("Delete the volumes of the second and third members (data-etcd-1, data-etcd-2)", drill.Approved);
        var lines = (await drill.TranscriptAsync(run.Id)).Select(l => l.Text).ToList();
        Assert.Contains(lines, l => l.EndsWith($"{Cp}/etcd-0 [etcd]: env ETCDCTL_API=3 /usr/bin/etcdctl --cacert /etc/etcd/tls/etcd-ca/ca.crt --cert /etc/etcd/tls/client/etcd-client.crt --key /etc/etcd/tls/client/etcd-client.key --endpoints=https://localhost:2379 snapshot save /var/lib/snapshot.db", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("env ETCDCTL_API=3 /usr/bin/etcdctl -w table snapshot status /var/lib/snapshot.db", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(
            "etcdutl snapshot restore /var/lib/restored.snap.db --data-dir=/var/lib/data --skip-hash-check --name etcd-0 --initial-cluster-token=etcd-cluster " +
            $"--initial-cluster etcd-0=https://etcd-0.etcd-discovery.{Cp}.svc:2380,etcd-1=https://etcd-1.etcd-discovery.{Cp}.svc:2380,etcd-2=https://etcd-2.etcd-discovery.{Cp}.svc:2380 " +
            $"--initial-advertise-peer-urls https://etcd-0.etcd-discovery.{Cp}.svc:2380", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"pausedUntil\":\"true\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"pausedUntil\":\"\"", StringComparison.Ordinal));
        var snapshot = Assert.Single(await Artifacts(drill).ListAsync(run.Id, default), a => a.Name == "etcd.snapshot.db");
        Assert.Equal("etcd-snapshot", snapshot.Labels["kind"]);
        // The etcd-data Deployment and the temporary snapshot are gone.
        Assert.Equal(404, (await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"/apis/apps/v1/namespaces/{Cp}/deployments/etcd-data"), default)).Status);
    }

    [Fact]
    public async Task With_no_member_ready_the_console_offers_the_volume_copy_and_the_restore_brings_quorum_back()
    {
        await using var drill = await StartAsync();
        var catalog = LabScenarioCatalog.FromAssembly();
        catalog.Load("""
            id: test-hosted-etcd-quorum-lost
            model: hosted
            title: Two hosted etcd members corrupted
            summary: etcd-1 and etcd-2 crash-loop; etcd-0 runs without quorum.
            procedure:
              document: 004_76627d8e46f61c97.txt
              section: "8.3.1"
              title: etcd backup and restore on premises
            lastResort: false
            faults:
              - type: hostedOnPremises
              - type: corruptEtcdMember
                member: etcd-1
              - type: corruptEtcdMember
                member: etcd-2
            """);
        var staged = new LabScenarios(drill.Lab, catalog).Apply(A, "test-hosted-etcd-quorum-lost").Health;
        Assert.True(staged.Has(HostedHealth.EtcdQuorumLost), staged.ToString());
        var atBackup = Keyspace(drill, "etcd-0");
        InputRequest? offered = null;
        drill.Answer = (path, request) =>
        {
            if (path == "snapshot/choose-source") offered = request;
            return null; // the console's preselection
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters, A));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(["volume"], offered!.Options.Where(o => o.Selected).Select(o => o.Value).ToList());
        Assert.Equal(StepStatus.Skipped, run.FindStep("snapshot/snapshot-save")!.Status);
        var health = drill.Health();
        Assert.True(health.Healthy, health.ToString());
        Assert.Equal(atBackup, Keyspace(drill, "etcd-0"));
        var lines = (await drill.TranscriptAsync(run.Id)).Select(l => l.Text).ToList();
        Assert.Contains(lines, l => l.Contains($"{Cp}/etcd-0 [etcd]:/var/lib/data/member/snap/db -> console etcd.snapshot.db", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("snapshot save", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_volume_deletion_stops_the_run_with_every_volume_and_the_snapshot_kept()
    {
        await using var drill = await StartAsync();
        drill.Stage("hosted-etcd-member-corrupted");
        var atBackup = Keyspace(drill, "etcd-0");
        drill.Approve = approval => !approval.StepTitle.Contains("data-etcd-1", StringComparison.Ordinal);

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, Parameters, A));

        Assert.NotEqual(RunStatus.Succeeded, run.Status);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("scale-down-etcd/scale")!.Status);
        Assert.Null(run.FindStep("clear-data/remove"));
        var claims = JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", Claims), default)).Body)!["items"]!.AsArray()
            .Select(c => (string)c!["metadata"]!["name"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["data-etcd-0", "data-etcd-1", "data-etcd-2"], claims);
        Assert.Equal(atBackup, Keyspace(drill, "etcd-0"));
        Assert.Contains(await Artifacts(drill).ListAsync(run.Id, default), a => a.Name == "etcd.snapshot.db");
        Assert.Equal(404, (await drill.Cluster.Api.SendAsync(new ApiRequest("GET", $"/apis/apps/v1/namespaces/{Cp}/deployments/etcd-data"), default)).Status);
    }

    [Fact]
    public async Task A_cluster_name_that_is_not_a_dns_label_is_refused_before_anything_is_sent()
    {
        await using var drill = await StartAsync();
        drill.Stage("hosted-etcd-member-corrupted");

        var refused = await Assert.ThrowsAsync<RecoveryConsole.Procedures.Parameters.ParameterValidationException>(() =>
            drill.StartRunAsync(Procedure, new() { ["clusterName"] = "hosted-1/../../nodes" }, A));

        Assert.Contains("Hosted cluster name (CLUSTER_NAME): 'hosted-1/../../nodes' does not have the expected form. Lowercase letters", refused.Message);
        Assert.Null(drill.Engine.Runs.ActiveRunOn(A));
        var hc = JsonNode.Parse((await drill.Cluster.Api.SendAsync(new ApiRequest("GET", "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1"), default)).Body)!;
        Assert.NotEqual("true", (string?)hc["spec"]!["pausedUntil"]);
    }

    private static Task<ProcedureDrill> StartAsync() =>
        ProcedureDrill.StartOverHttpsAsync(A, [File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "procedures", Procedure + ".yaml"))]);

    private static IReadOnlyDictionary<string, string> Keyspace(ProcedureDrill drill, string member) =>
        HostedEstate.Of(drill.Cluster).MemberKeyspace(A, member) ?? throw new InvalidOperationException($"{member} of {A} holds no data");

    private static IArtifactStore Artifacts(ProcedureDrill drill) => drill.Engine.Services.GetRequiredService<IArtifactStore>();
}
