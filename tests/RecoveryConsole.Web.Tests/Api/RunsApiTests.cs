using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>
/// Every runs endpoint with each role (viewer, operator, approver, admin, and sam's token cut to operator), refusals
/// included: status and the RunService's words, as the run page and the hub get them.
/// </summary>
[Trait("Category", "Security")]
public sealed class RunsApiTests
{
    private static readonly Dictionary<string, string?> Sample = new(DemoUsers.SampleParameters);

    [Fact]
    public async Task Each_role_gets_what_the_pages_allow_and_refusals_carry_the_run_service_s_words()
    {
        await using var console = await TestConsole.StartAsync();
        using var vera = await ApiClient.ForAsync(console, DemoUsers.Vera.Name);
        using var olivia = await ApiClient.ForAsync(console, DemoUsers.Olivia.Name);
        using var arjun = await ApiClient.ForAsync(console, DemoUsers.Arjun.Name);
        using var admin = await ApiClient.ForAsync(console, "admin");
        using var sam = await ApiClient.ForAsync(console, DemoUsers.Sam.Name);
        using var samOperator = await ApiClient.ForAsync(console, DemoUsers.Sam.Name, Roles.Operator);
        var everyone = new[] { vera, olivia, arjun, admin, sam, samOperator };

        foreach (var client in everyone)
        {
            var procedures = await client.GetJsonAsync<JsonArray>("/api/v1/procedures");
            Assert.Contains(procedures, p => (string?)p!["id"] == DemoUsers.SampleProcedure);
            var clusters = await client.GetJsonAsync<JsonArray>("/api/v1/clusters");
            Assert.Contains(clusters, c => (string?)c!["name"] == DemoUsers.LabCluster && (bool)c["isSimulated"]!);
        }
        var veraClusters = await vera.GetJsonAsync<JsonArray>("/api/v1/clusters");
        Assert.Equal(["viewer"], veraClusters.First(c => (string?)c!["name"] == DemoUsers.LabCluster)!["yourRoles"]!.AsArray().Select(r => (string?)r));

        // Start: operator role on the cluster, parameters checked, one run per cluster.
        var start = new { procedureId = DemoUsers.SampleProcedure, cluster = DemoUsers.LabCluster, parameters = Sample };
        Assert.Equal("vera may not start a run on lab-ocp4: the operator role is needed.",
            await ApiClient.ExpectAsync(await vera.PostAsync("/api/v1/runs", start), HttpStatusCode.Forbidden));
        Assert.Equal("arjun may not start a run on lab-ocp4: the operator role is needed.",
            await ApiClient.ExpectAsync(await arjun.PostAsync("/api/v1/runs", start), HttpStatusCode.Forbidden));
        Assert.Equal("There is no valid procedure 'no-such-procedure'.", await ApiClient.ExpectAsync(await olivia.PostAsync("/api/v1/runs",
            new { procedureId = "no-such-procedure", cluster = DemoUsers.LabCluster, parameters = Sample }), HttpStatusCode.BadRequest));
        Assert.Contains("A ticket such as DRILL-7", await ApiClient.ExpectAsync(await olivia.PostAsync("/api/v1/runs",
            new { procedureId = DemoUsers.SampleProcedure, cluster = DemoUsers.LabCluster, parameters = new Dictionary<string, string?>(Sample) { ["ticket"] = "bad ticket" } }),
            HttpStatusCode.BadRequest));
        var runId = await ApiRuns.StartAsync(sam, DemoUsers.SampleProcedure, DemoUsers.LabCluster, Sample);
        Assert.Contains("already has an active run", await ApiClient.ExpectAsync(await olivia.PostAsync("/api/v1/runs", start), HttpStatusCode.Conflict));

        // Reading: anyone with a role on the cluster; a run nobody has is 404 in the same words as an unseen one.
        foreach (var client in everyone)
        {
            Assert.Equal(runId, (await client.GetJsonAsync<RunView>($"/api/v1/runs/{runId}")).Id);
            Assert.Contains(await client.GetJsonAsync<JsonArray>($"/api/v1/runs?cluster={DemoUsers.LabCluster}&procedure={DemoUsers.SampleProcedure}"),
                r => (Guid)r!["id"]! == runId);
        }
        var missing = Guid.NewGuid();
        Assert.Equal($"No run {missing}.", await ApiClient.ExpectAsync(await olivia.GetAsync($"/api/v1/runs/{missing}"), HttpStatusCode.NotFound));

        // Four-eyes: the starter (an approver too) cannot approve, nor can those without the approver role, sam's operator-only
        // token included; a stale review is refused; arjun can.
        var pending = await ApiRuns.WaitForAsync(olivia, runId, v => v.PendingApproval);
        var approve = $"/api/v1/runs/{runId}/steps/{ApiClient.Step(pending.StepPath)}/approve";
        Assert.Equal("sam started this run and cannot approve: a second person must.",
            await ApiClient.ExpectAsync(await sam.PostAsync(approve, new { reason = "mine" }), HttpStatusCode.Forbidden));
        Assert.Equal("sam does not have the approver role.",
            await ApiClient.ExpectAsync(await samOperator.PostAsync(approve, new { reason = "ok" }), HttpStatusCode.Forbidden));
        Assert.Equal("vera does not have the approver role.", await ApiClient.ExpectAsync(await vera.PostAsync(approve, new { reason = "ok" }), HttpStatusCode.Forbidden));
        Assert.Equal("olivia does not have the approver role.", await ApiClient.ExpectAsync(await olivia.PostAsync(approve, new { reason = "ok" }), HttpStatusCode.Forbidden));
        Assert.Contains("is not what you reviewed", await ApiClient.ExpectAsync(
            await arjun.PostAsync(approve, new { reason = "ok", reviewedHash = new string('0', 64) }), HttpStatusCode.Forbidden));
        Assert.Equal("sam started this run and cannot approve: a second person must.", await ApiClient.ExpectAsync(
            await sam.PostAsync($"/api/v1/runs/{runId}/steps/{ApiClient.Step(pending.StepPath)}/reject", new { reason = "no" }), HttpStatusCode.Forbidden));
        Assert.Equal("No approval is pending for step check-backup.", await ApiClient.ExpectAsync(
            await arjun.PostAsync($"/api/v1/runs/{runId}/steps/check-backup/approve", new { reason = "ok" }), HttpStatusCode.Conflict));
        // Confirm and answer: operators only, and only a step that waits for it.
        Assert.Contains("the operator role is needed", await ApiClient.ExpectAsync(
            await vera.PostAsync($"/api/v1/runs/{runId}/steps/recreate-machines/confirm", new { note = "done" }), HttpStatusCode.Forbidden));
        Assert.Equal("Step recreate-machines is not waiting for an operator.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/runs/{runId}/steps/recreate-machines/confirm", new { note = "done" }), HttpStatusCode.Conflict));
        Assert.Equal("Step recreate-machines is not waiting for an answer.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/runs/{runId}/steps/recreate-machines/input", new { answer = new[] { "x" } }), HttpStatusCode.Conflict));
        await ApiClient.ExpectAsync(await arjun.PostAsync(approve, new { reason = "checked what it runs", reviewedHash = pending.BindingHash }), HttpStatusCode.NoContent);
        var decided = await ApiRuns.WaitForAsync(olivia, runId, v => v.Approvals.FirstOrDefault(a => a.Id == pending.Id && a.Decision == ApprovalDecision.Approved));
        Assert.Equal("arjun", decided.DecidedBy);

        // Transcript: stored lines, dense from 1, paged.
        var lines = await vera.GetJsonAsync<List<LineDto>>($"/api/v1/runs/{runId}/transcript?after=0&take=3");
        Assert.Equal([1L, 2L, 3L], lines.Select(l => l.Sequence));
        Assert.Equal(4, (await vera.GetJsonAsync<List<LineDto>>($"/api/v1/runs/{runId}/transcript?after=3&take=1")).Single().Sequence);

        // Cancel: operators, with a reason; the events stream then ends by itself with the Cancelled state.
        Assert.Contains("the operator role is needed", await ApiClient.ExpectAsync(
            await arjun.PostAsync($"/api/v1/runs/{runId}/cancel", new { reason = "stop" }), HttpStatusCode.Forbidden));
        Assert.Equal("A reason for cancelling is required.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/runs/{runId}/cancel", new { reason = "  " }), HttpStatusCode.BadRequest));
        await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/runs/{runId}/cancel", new { reason = "API test over" }), HttpStatusCode.NoContent);
        var events = await ApiRuns.FollowToEndAsync(vera, runId);
        Assert.Equal(RunStatus.Cancelled, ApiRuns.LastState(events).Status);
        var sequences = events.Where(e => e.Lines is not null).SelectMany(e => e.Lines!).Select(l => l.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);

        // Resume: only failed or interrupted runs; retry: a new linked run, operators only.
        Assert.Contains("Only an interrupted or failed run can be resumed; this one is Cancelled.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/runs/{runId}/resume", new { note = "try again" }), HttpStatusCode.Conflict));
        Assert.Contains("the operator role is needed", await ApiClient.ExpectAsync(
            await vera.PostAsync($"/api/v1/runs/{runId}/retry", new { parameters = Sample }), HttpStatusCode.Forbidden));
        var retry = await olivia.PostAsync($"/api/v1/runs/{runId}/retry", new { parameters = Sample });
        var retryId = (Guid)JsonNode.Parse(await ApiClient.ExpectAsync(retry, HttpStatusCode.Created))!["id"]!;
        Assert.Equal(runId, (await admin.GetJsonAsync<RunView>($"/api/v1/runs/{retryId}")).PreviousRunId);
        await ApiClient.ExpectAsync(await admin.PostAsync($"/api/v1/runs/{retryId}/cancel", new { reason = "admin ends the test" }), HttpStatusCode.NoContent);
        await ApiRuns.FollowToEndAsync(admin, retryId);

        // Refused commands are audited as refusals by the RunService, as from the pages.
        var audit = await console.Get<IAuditLog>().ListAsync(runId, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalRefused && e.Actor == "sam" && e.Detail.Contains("started this run", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Kind == AuditKinds.CommandRefused && e.Actor == "olivia" && e.Detail.StartsWith("cancel: A reason for cancelling is required. (via API token 'test token' ", StringComparison.Ordinal));
        Assert.Single(audit, e => e.Kind == AuditKinds.RunCancelRequested && e.Detail.StartsWith("API test over (via API token 'test token' ", StringComparison.Ordinal));

        // A run on a cluster one has no role on is not there at all.
        await using (var scope = console.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ClusterRoleAssignments>().SetAsync("vera", DemoUsers.LabCluster, [],
                await ApiClient.ActorAsync(scope.ServiceProvider, "admin"), CancellationToken.None);
        Assert.Equal($"No run {runId}.", await ApiClient.ExpectAsync(await vera.GetAsync($"/api/v1/runs/{runId}"), HttpStatusCode.NotFound));
        Assert.Equal($"No run {runId}.", await ApiClient.ExpectAsync(await vera.GetAsync($"/api/v1/runs/{runId}/transcript"), HttpStatusCode.NotFound));
        Assert.Equal($"No run {runId}.", await ApiClient.ExpectAsync(await vera.GetAsync($"/api/v1/runs/{runId}/events"), HttpStatusCode.NotFound));
        Assert.Equal($"No run {runId}.", await ApiClient.ExpectAsync(await vera.PostAsync($"/api/v1/runs/{runId}/cancel", new { reason = "x" }), HttpStatusCode.NotFound));
        Assert.DoesNotContain(await vera.GetJsonAsync<JsonArray>("/api/v1/runs"), r => (Guid)r!["id"]! == runId);
        Assert.DoesNotContain(await vera.GetJsonAsync<JsonArray>("/api/v1/clusters"), c => (string?)c!["name"] == DemoUsers.LabCluster);
    }

    [Fact]
    public async Task Questions_are_answered_by_operators_checked_against_what_was_asked_and_the_stream_ends_when_the_run_succeeds()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: Path.Combine(AppContext.BaseDirectory, "input-procedures"));
        using var olivia = await ApiClient.ForAsync(console, DemoUsers.Olivia.Name);
        using var vera = await ApiClient.ForAsync(console, DemoUsers.Vera.Name);
        var runId = await ApiRuns.StartAsync(olivia, "input-drill", DemoUsers.LabCluster, Sample);

        await ApiRuns.WaitForAsync(olivia, runId, v => v.WaitingForOperator is { StepPath: "choose-host" } s ? s : null);
        Assert.Equal("vera may not answer a step's question on lab-ocp4: the operator role is needed.", await ApiClient.ExpectAsync(
            await vera.PostAsync($"/api/v1/runs/{runId}/steps/choose-host/input", new { answer = new[] { "master-1" } }), HttpStatusCode.Forbidden));
        Assert.Equal("Not among the options: master-9.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/runs/{runId}/steps/choose-host/input", new { answer = new[] { "master-9" } }), HttpStatusCode.BadRequest));
        Assert.Equal("Step choose-host asks a question: answer it instead of confirming it.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/runs/{runId}/steps/choose-host/confirm", new { note = "done" }), HttpStatusCode.Conflict));
        await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/runs/{runId}/steps/choose-host/input", new { answer = new[] { "master-1" } }), HttpStatusCode.NoContent);

        await ApiRuns.WaitForAsync(olivia, runId, v => v.WaitingForOperator is { StepPath: "reason" } s ? s : null);
        Assert.Equal("Start with the ticket, e.g. DRILL-7: etcd member slow.", await ApiClient.ExpectAsync(
            await olivia.PostAsync($"/api/v1/runs/{runId}/steps/reason/input", new { answer = new[] { "because" } }), HttpStatusCode.BadRequest));
        await ApiClient.ExpectAsync(await olivia.PostAsync($"/api/v1/runs/{runId}/steps/reason/input", new { answer = new[] { "DRILL-7: etcd slow" } }),
            HttpStatusCode.NoContent);

        var events = await ApiRuns.FollowToEndAsync(vera, runId);
        var end = ApiRuns.LastState(events);
        Assert.Equal(RunStatus.Succeeded, end.Status);
        Assert.Contains(events.SelectMany(e => e.Lines ?? []), l => l.Text == "looking at master-1");
        Assert.Equal(end.TranscriptLineCount, ApiRuns.LastSequence(events));

        // The same as server-sent events: the body completes by itself, the last event is the Succeeded state.
        using var sse = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/runs/{runId}/events");
        sse.Headers.Accept.ParseAdd("text/event-stream");
        using var streamed = await vera.Http.SendAsync(sse);
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        var frames = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("event: lines\ndata: {", frames[0]);
        Assert.StartsWith("event: state\ndata: {", frames[^1]);
        Assert.Equal(RunStatus.Succeeded, System.Text.Json.JsonSerializer.Deserialize<RunStreamEvent>(frames[^1].Split("data: ", 2)[1], ApiClient.Json)!.Run!.Status);
    }
}
