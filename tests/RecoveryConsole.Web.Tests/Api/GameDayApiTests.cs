using System.Net;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;
using Xunit.Abstractions;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>
/// A game day as a CI job runs it, over HTTP only with two people's tokens: stage a disaster, start the shipped procedure
/// that recovers it, follow the events, confirm and answer as the operator, approve as the approver, and let the lab judge.
/// </summary>
[Trait("Category", "Lab")]
public sealed class GameDayApiTests(ITestOutputHelper output)
{
    private const string Cluster = "lab-mgmt-a";
    private const string Scenario = "hosted-etcd-member-corrupted";
    private const string Procedure = "hosted-etcd-restore-on-premises";

    [Fact]
    public async Task Operator_and_approver_tokens_recover_a_corrupted_hosted_etcd_member_and_the_lab_reports_healthy()
    {
        await using var console = await TestConsole.StartAsync(timeScale: 0.005);
        using var olivia = await ApiClient.ForAsync(console, DemoUsers.Olivia.Name);
        using var arjun = await ApiClient.ForAsync(console, DemoUsers.Arjun.Name);

        var staged = JsonNode.Parse(await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/lab/{Cluster}/scenarios/{Scenario}/stage"), HttpStatusCode.OK))!;
        Assert.False((bool)staged["healthy"]!, staged.ToJsonString());
        var runId = await ApiRuns.StartAsync(olivia, Procedure, Cluster, new Dictionary<string, string?> { ["clusterName"] = "hosted-1" });

        var done = new HashSet<string>();
        var approvals = new List<string>();
        var answered = new List<string>();
        var events = await ApiRuns.FollowToEndAsync(olivia, runId, onEvent: async e =>
        {
            if (e.Run is not { } view) return;
            if (view.PendingApproval is { } approval && done.Add($"approval {approval.Id}"))
            {
                approvals.Add(approval.StepTitle);
                await ApiClient.ExpectAsync(await arjun.PostAsync($"/api/v1/runs/{runId}/steps/{ApiClient.Step(approval.StepPath)}/approve",
                    new { reason = "game day: checked", reviewedHash = approval.BindingHash }), HttpStatusCode.NoContent);
            }
            if (view.WaitingForOperator is { } step && done.Add($"{step.StepPath} {step.StartedAt:O}"))
            {
                if (InputRequest.Parse(step.InputRequestJson) is { } question)
                {
                    answered.Add(step.StepPath);
                    await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/runs/{runId}/steps/{ApiClient.Step(step.StepPath)}/input",
                        new { answer = question.Options.Where(o => o.Selected).Select(o => o.Value).ToArray() }), HttpStatusCode.NoContent);
                }
                else
                    await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/runs/{runId}/steps/{ApiClient.Step(step.StepPath)}/confirm",
                        new { note = "announced in #hosted-1-users (game day)" }), HttpStatusCode.NoContent);
            }
        });

        var end = ApiRuns.LastState(events);
        output.WriteLine($"approved: {string.Join("; ", approvals)}; answered: {string.Join(", ", answered)}");
        Assert.True(end.Status == RunStatus.Succeeded, $"{end.Status}: {end.StatusReason}");
        Assert.Equal(2, approvals.Count);
        Assert.Contains("snapshot/choose-source", answered);
        Assert.All(end.Approvals, a => Assert.Equal("arjun", a.DecidedBy));
        Assert.Equal(end.TranscriptLineCount, ApiRuns.LastSequence(events));

        var health = await olivia.GetJsonAsync<JsonObject>($"/api/v1/lab/{Cluster}/health");
        Assert.True((bool)health["healthy"]!, health.ToJsonString());
    }
}
