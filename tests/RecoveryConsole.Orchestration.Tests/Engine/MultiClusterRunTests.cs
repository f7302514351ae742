using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>
/// A procedure with cluster roles run through RunService on the lab's hosted estate (lab-mgmt-a, lab-mgmt-b, over their
/// HTTPS APIs): each API step reaches its role's cluster, the transcript and the audit say which, preflight refuses a
/// management cluster without external-dns, and the actor's role counts on every cluster of the run.
/// </summary>
[Trait("Category", "Security")]
[Trait("Category", "Lab")]
public sealed class MultiClusterRunTests
{
    private const string Procedure = """
        id: copy-parent
        title: Copy the parent-cluster marker to the destination
        source: { document: 002_dc66a8ea9facaa02.txt, section: "8.6" }
        applies: { product: hypershift-management }
        clusters:
          - { name: source, label: Source management cluster, product: hypershift-management, requires: [externalDns] }
          - { name: destination, label: Destination management cluster, product: hypershift-management, differentFrom: source, requires: [externalDns] }
        steps:
          - id: read
            title: Read the HostedCluster on the source
            section: "8.6.2 step 1"
            cluster: source
            api: { method: GET, path: /apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1 }
            capture:
              infraId: { json: "spec.infraID" }
          - id: write
            title: Record it on the destination
            section: "8.6.3 step 1"
            cluster: destination
            destructive: true
            api:
              method: POST
              path: /api/v1/namespaces/hypershift/configmaps
              body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mgmt-parent-cluster","namespace":"hypershift"},"data":{"infraID":"{{ infraId }}"}}'
            expect: { status: 201 }
        """;

    private const string MarkerPath = "/api/v1/namespaces/hypershift/configmaps/mgmt-parent-cluster";
    private static readonly Dictionary<string, string> Roles = new() { ["destination"] = HostedEstate.DestinationName };

    private static Task<ProcedureDrill> StartAsync() => ProcedureDrill.StartAsync(null, [], [Procedure], LabClusterCatalog.Estate());

    private static Task<Guid> StartRunAsync(ProcedureDrill drill, Actor actor, IReadOnlyDictionary<string, string>? roles = null, string main = HostedEstate.SourceName) =>
        drill.Engine.Runs.StartAsync(new StartRunRequest("copy-parent", main, new Dictionary<string, string?>(), roles ?? Roles), actor, CancellationToken.None);

    private static async Task<ApiResponse> GetAsync(ProcedureDrill drill, string cluster, string path) =>
        await drill.Lab.Find(cluster)!.Api.SendAsync(new ApiRequest("GET", path), CancellationToken.None);

    [Fact]
    public async Task Each_call_goes_to_its_roles_cluster_and_the_transcript_and_audit_say_which()
    {
        await using var drill = await StartAsync();
        var id = await StartRunAsync(drill, ProcedureDrill.Operator);

        // While it waits for the approval, the run holds both clusters.
        await drill.Engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval, 60);
        Assert.Equal(id, drill.Engine.Runs.ActiveRunOn(HostedEstate.DestinationName));
        Assert.Equal(id, drill.Engine.Runs.ActiveRunOn(HostedEstate.SourceName));
        var pending = (await drill.Engine.Repository.GetAsync(id, CancellationToken.None))!.Approvals.Single();
        Assert.Contains("clusters source = lab-mgmt-a, destination = lab-mgmt-b", pending.BindingText, StringComparison.Ordinal);
        Assert.Contains("write on lab-mgmt-b api: POST /api/v1/namespaces/hypershift/configmaps", pending.BindingText, StringComparison.Ordinal);

        var run = await drill.DriveAsync(id, 120);
        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));

        // The object exists on the destination, with what was read on the source, and not on the source.
        var marker = await GetAsync(drill, HostedEstate.DestinationName, MarkerPath);
        Assert.Equal(200, marker.Status);
        Assert.Equal(HostedManagementClusterInfraId, (string?)JsonNode.Parse(marker.Body)!["data"]!["infraID"]);
        Assert.Equal(404, (await GetAsync(drill, HostedEstate.SourceName, MarkerPath)).Status);

        var stored = (await drill.Engine.Repository.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(HostedEstate.SourceName, stored.ClusterName);
        Assert.Equal([KeyValuePair.Create("source", "lab-mgmt-a"), KeyValuePair.Create("destination", "lab-mgmt-b")], stored.ClusterRoles);

        var lines = (await drill.TranscriptAsync(id)).Select(l => l.Text).ToList();
        Assert.Contains("Clusters: source = lab-mgmt-a, destination = lab-mgmt-b", lines);
        Assert.Contains("[lab-mgmt-a] → GET /apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1", lines);
        Assert.Contains("[lab-mgmt-b] → POST /api/v1/namespaces/hypershift/configmaps", lines);
        Assert.Contains("[lab-mgmt-b] ← 201", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("[lab-mgmt-a] → POST", StringComparison.Ordinal));
        // Preflight asked both management clusters for external-dns.
        Assert.Equal(2, lines.Count(l => l.EndsWith($"→ GET {ExternalDnsCheck.OperatorPath}", StringComparison.Ordinal)));

        var created = (await drill.Engine.Audit.ListAsync(id, CancellationToken.None)).Single(e => e.Kind == AuditKinds.RunCreated);
        Assert.Contains("on lab-mgmt-a (drill) clusters: source = lab-mgmt-a, destination = lab-mgmt-b", created.Detail, StringComparison.Ordinal);
    }

    private const string HostedManagementClusterInfraId = "hosted-1-7xk2p";

    [Fact]
    public async Task A_management_cluster_without_external_dns_is_refused_in_preflight_and_nothing_changes()
    {
        await using var drill = await StartAsync();
        // lab-mgmt-b's HyperShift operator reinstalled without the --external-dns-* flags (through its API, as `oc replace` would).
        var operatorWithout = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "operator", ["args"] = new JsonArray("run") }) } },
            },
        };
        await ReplaceOperatorAsync(drill, operatorWithout);

        var id = await StartRunAsync(drill, ProcedureDrill.Operator);
        var run = await drill.DriveAsync(id, 60);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("Destination management cluster (destination = lab-mgmt-b) cannot be used", run.StatusReason, StringComparison.Ordinal);
        Assert.Contains("runs without --external-dns-provider and --external-dns-domain-filter", run.StatusReason, StringComparison.Ordinal);
        Assert.Empty(drill.Approved);
        Assert.DoesNotContain(run.Steps, s => s.StepPath is "read" or "write");
        Assert.Equal(404, (await GetAsync(drill, HostedEstate.DestinationName, MarkerPath)).Status);
    }

    [Fact]
    public async Task Resumed_after_external_dns_is_back_it_reaches_the_same_clusters_again()
    {
        await using var drill = await StartAsync();
        var installed = JsonNode.Parse((await GetAsync(drill, HostedEstate.DestinationName, ExternalDnsCheck.OperatorPath)).Body)!.AsObject();
        var without = installed.DeepClone().AsObject();
        without["spec"]!["template"]!["spec"]!["containers"]![0]!["args"] = new JsonArray("run");
        await ReplaceOperatorAsync(drill, without);
        var id = await StartRunAsync(drill, ProcedureDrill.Operator);
        Assert.Equal(RunStatus.Failed, (await drill.DriveAsync(id, 60)).Status);

        await ReplaceOperatorAsync(drill, installed); // the operator reinstalled with --external-dns-*
        await drill.Engine.Runs.ResumeAsync(id, ProcedureDrill.Operator, "operator reinstalled with external-dns", CancellationToken.None);
        var run = await drill.DriveAsync(id, 120);

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(200, (await GetAsync(drill, HostedEstate.DestinationName, MarkerPath)).Status);
        Assert.Equal(404, (await GetAsync(drill, HostedEstate.SourceName, MarkerPath)).Status);
    }

    private static async Task ReplaceOperatorAsync(ProcedureDrill drill, JsonObject deployment)
    {
        (deployment["metadata"] as JsonObject)?.Remove("resourceVersion"); // replace whatever is there now
        var replaced = await drill.Lab.Find(HostedEstate.DestinationName)!.Api.SendAsync(
            new ApiRequest("PUT", ExternalDnsCheck.OperatorPath, deployment.ToJsonString(), "application/json"), CancellationToken.None);
        Assert.True(replaced.IsSuccess, replaced.Body);
    }

    [Fact]
    public async Task A_viewer_on_the_destination_cannot_start_though_operator_on_the_source()
    {
        await using var drill = await StartAsync();
        var olivia = ProcedureDrill.Operator with
        {
            ClusterRoles = new Dictionary<string, IReadOnlyCollection<string>> { [HostedEstate.DestinationName] = [Orchestration.Approvals.Roles.Viewer] },
        };

        var refused = await Assert.ThrowsAsync<NotAllowedException>(() => StartRunAsync(drill, olivia));

        Assert.Contains("may not start a run on lab-mgmt-b", refused.Message, StringComparison.Ordinal);
        Assert.Null(drill.Engine.Runs.ActiveRunOn(HostedEstate.SourceName));
        Assert.Empty(await drill.Engine.Repository.ListAsync(new RunQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task An_approver_who_is_only_a_viewer_on_the_destination_cannot_approve()
    {
        await using var drill = await StartAsync();
        var id = await StartRunAsync(drill, ProcedureDrill.Operator);
        await drill.Engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval, 60);
        var arjun = ProcedureDrill.Approver with
        {
            ClusterRoles = new Dictionary<string, IReadOnlyCollection<string>> { [HostedEstate.DestinationName] = [Orchestration.Approvals.Roles.Viewer] },
        };

        var refused = await Assert.ThrowsAsync<ApprovalRefusedException>(() => drill.Engine.Runs.ApproveAsync(id, "write", arjun, "ok", CancellationToken.None));

        Assert.Contains("arjun does not have the approver role", refused.Message, StringComparison.Ordinal);
        var run = (await drill.Engine.Repository.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(ApprovalDecision.Pending, run.Approvals.Single().Decision);
        await drill.Engine.Runs.CancelAsync(id, ProcedureDrill.Operator, "test over", CancellationToken.None);
    }

    [Theory]
    [InlineData("lab-mgmt-a", "must be different clusters; both are lab-mgmt-a")]
    [InlineData("lab-ocp4", "lab-ocp4 cannot be the Destination management cluster: This procedure is for hypershift-management")]
    [InlineData("", "Choose the Destination management cluster (destination)")]
    [InlineData("lab-nowhere", "There is no cluster 'lab-nowhere' for the Destination management cluster")]
    public async Task A_wrong_choice_of_cluster_for_a_role_is_refused_in_words(string destination, string message)
    {
        await using var drill = await StartAsync();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            StartRunAsync(drill, ProcedureDrill.Operator, new Dictionary<string, string> { ["destination"] = destination }));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        var audit = await drill.Engine.Audit.ListAsync(null, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.RunRefused && e.Detail.Contains(message, StringComparison.Ordinal));
    }
}
