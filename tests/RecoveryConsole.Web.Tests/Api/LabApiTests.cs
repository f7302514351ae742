using System.Net;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>The lab endpoints with each role: what the Drills page allows, refused in its words otherwise.</summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class LabApiTests
{
    private const string Scenario = "ocp4-control-plane-majority-lost";

    [Fact]
    public async Task Operators_stage_and_reset_others_only_read_and_the_health_is_the_lab_s_own()
    {
        await using var console = await TestConsole.StartAsync();
        using var vera = await ApiClient.ForAsync(console, DemoUsers.Vera.Name);
        using var olivia = await ApiClient.ForAsync(console, DemoUsers.Olivia.Name);
        using var arjun = await ApiClient.ForAsync(console, DemoUsers.Arjun.Name);
        using var admin = await ApiClient.ForAsync(console, "admin");

        foreach (var client in new[] { vera, olivia, arjun, admin })
        {
            var clusters = await client.GetJsonAsync<JsonArray>("/api/v1/lab/scenarios");
            var ocp4 = clusters.Single(c => (string?)c!["cluster"] == DemoUsers.LabCluster)!;
            Assert.True((bool)ocp4["healthy"]!);
            Assert.Contains(ocp4["scenarios"]!.AsArray(), s => (string?)s!["id"] == Scenario);
            Assert.True((bool)(await client.GetJsonAsync<JsonObject>($"/api/v1/lab/{DemoUsers.LabCluster}/health"))["healthy"]!);
        }
        var stage = $"/api/v1/lab/{DemoUsers.LabCluster}/scenarios/{Scenario}/stage";
        Assert.Equal("vera may not stage drills: the operator or admin role is needed.", await ApiClient.ExpectAsync(await vera.PostAsync(stage), HttpStatusCode.Forbidden));
        Assert.Equal("arjun may not stage drills: the operator or admin role is needed.", await ApiClient.ExpectAsync(await arjun.PostAsync(stage), HttpStatusCode.Forbidden));
        Assert.Equal("No lab cluster lab-nowhere.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/lab/lab-nowhere/scenarios/{Scenario}/stage"), HttpStatusCode.NotFound));
        Assert.Equal("No lab cluster lab-nowhere.", await ApiClient.ExpectAsync(await olivia.GetAsync("/api/v1/lab/lab-nowhere/health"), HttpStatusCode.NotFound));
        Assert.Contains("no-such-disaster", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/lab/{DemoUsers.LabCluster}/scenarios/no-such-disaster/stage"), HttpStatusCode.Conflict));

        var staged = JsonNode.Parse(await ApiClient.ExpectAsync(await olivia.PostAsync(stage), HttpStatusCode.OK))!;
        Assert.False((bool)staged["healthy"]!);
        Assert.Contains(staged["problems"]!.AsArray(), p => (string?)p!["code"] == "etcd-quorum-lost");
        var health = await vera.GetJsonAsync<JsonObject>($"/api/v1/lab/{DemoUsers.LabCluster}/health");
        Assert.Contains(health["problems"]!.AsArray(), p => (string?)p!["code"] == "etcd-quorum-lost");

        Assert.Contains("the operator or admin role is needed", await ApiClient.ExpectAsync(
            await vera.PostAsync($"/api/v1/lab/{DemoUsers.LabCluster}/reset"), HttpStatusCode.Forbidden));
        var reset = JsonNode.Parse(await ApiClient.ExpectAsync(await admin.PostAsync($"/api/v1/lab/{DemoUsers.LabCluster}/reset"), HttpStatusCode.OK))!;
        Assert.True((bool)reset["healthy"]!);

        var audit = await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
        Assert.Single(audit, e => e.Kind == AuditKinds.LabScenario && e.Actor == "olivia" && e.Detail.Contains(Scenario, StringComparison.Ordinal));
        Assert.Single(audit, e => e.Kind == AuditKinds.LabScenario && e.Actor == "admin" && e.Detail.Contains("reset to healthy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_is_staged_under_an_active_run()
    {
        await using var console = await TestConsole.StartAsync();
        using var olivia = await ApiClient.ForAsync(console, DemoUsers.Olivia.Name);
        var runId = await ApiRuns.StartAsync(olivia, DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
        await ApiRuns.WaitForAsync(olivia, runId, v => v.Status == Orchestration.Runs.RunStatus.Running || v.PendingApproval is not null ? v : null);

        Assert.Equal($"Run {runId} is active on {DemoUsers.LabCluster}; finish or cancel it before changing the simulation under it.",
            await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/lab/{DemoUsers.LabCluster}/scenarios/{Scenario}/stage"), HttpStatusCode.Conflict));
        Assert.True((bool)(await olivia.GetJsonAsync<JsonObject>($"/api/v1/lab/{DemoUsers.LabCluster}/health"))["healthy"]!);
        await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/runs/{runId}/cancel", new { reason = "test over" }), HttpStatusCode.NoContent);
    }
}
