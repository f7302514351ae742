using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

public sealed class HubTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Early_and_late_viewers_receive_the_same_dense_transcript()
    {
        await using var console = await TestConsole.StartAsync();
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var arjunHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Arjun.Name, DemoUsers.Arjun.Password);
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);
        await using var arjun = await HubClient.ConnectAsync(console.BaseAddress, arjunHttp.Cookies);
        await using var vera = await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies);

        var runId = await olivia.InvokeAsync<Guid>("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
        using var cts = new CancellationTokenSource(Generous);

        // Vera watches from the start; the run is driven over the hub from what her stream shows.
        var lateJoined = new TaskCompletionSource();
        var early = Task.Run(async () =>
        {
            var lines = new List<LineDto>();
            var handled = new HashSet<string>();
            RunView? last = null;
            await foreach (var e in vera.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], cts.Token))
            {
                if (e.Lines is { } batch) lines.AddRange(batch);
                if (lines.Count >= 40) lateJoined.TrySetResult();
                if (e.Run is not { } view) continue;
                last = view;
                if (view.PendingApproval is { } a && handled.Add($"a{a.Id}")) await arjun.InvokeAsync("Approve", runId, a.StepPath, "looks right");
                if (view.WaitingForOperator is { } m && handled.Add(m.StepPath)) await olivia.InvokeAsync("Confirm", runId, m.StepPath, "done in the drill");
            }
            return (lines, last);
        });

        await lateJoined.Task.WaitAsync(cts.Token);
        var late = new List<LineDto>();
        await foreach (var e in arjun.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], cts.Token))
            if (e.Lines is { } batch) late.AddRange(batch);

        var (earlyLines, lastView) = await early.WaitAsync(cts.Token);
        Assert.Equal(RunStatus.Succeeded, lastView!.Status);
        Assert.True(earlyLines.Count > 2000, $"only {earlyLines.Count} lines");
        Assert.Equal(Enumerable.Range(1, earlyLines.Count).Select(i => (long)i), earlyLines.Select(l => l.Sequence));
        Assert.Equal(lastView.TranscriptLineCount, earlyLines.Count);
        Assert.Equal(earlyLines.Select(l => (l.Sequence, l.Text)), late.Select(l => (l.Sequence, l.Text)));
    }

    [Fact]
    public async Task Four_eyes_over_the_hub_refuses_the_starter_and_a_viewer_and_accepts_a_second_approver()
    {
        await using var console = await TestConsole.StartAsync();
        using var samHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Sam.Name, DemoUsers.Sam.Password);
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        using var arjunHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Arjun.Name, DemoUsers.Arjun.Password);
        await using var sam = await HubClient.ConnectAsync(console.BaseAddress, samHttp.Cookies);
        await using var vera = await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies);
        await using var arjun = await HubClient.ConnectAsync(console.BaseAddress, arjunHttp.Cookies);

        var runId = await sam.InvokeAsync<Guid>("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
        using var cts = new CancellationTokenSource(Generous);
        var pending = await WaitForAsync(sam, runId, v => v.PendingApproval, cts.Token);

        var own = await Assert.ThrowsAsync<HubError>(() => sam.InvokeAsync("Approve", runId, pending.StepPath, "mine"));
        Assert.Contains("started this run and cannot approve", own.Message);
        var viewer = await Assert.ThrowsAsync<HubError>(() => vera.InvokeAsync("Approve", runId, pending.StepPath, null));
        Assert.Contains("does not have the approver role", viewer.Message);

        await arjun.InvokeAsync("Approve", runId, pending.StepPath, "second pair of eyes");
        var decided = await WaitForAsync(vera, runId,
            v => v.Approvals.FirstOrDefault(a => a.Id == pending.Id && a.Decision == ApprovalDecision.Approved), cts.Token);
        Assert.Equal("arjun", decided.DecidedBy);

        var cancel = await Assert.ThrowsAsync<HubError>(() => vera.InvokeAsync("Cancel", runId, "not mine"));
        Assert.Contains("may not cancel", cancel.Message);
        await sam.InvokeAsync("Cancel", runId, "test over");
        await WaitForAsync(vera, runId, v => v.Status == RunStatus.Cancelled ? v : null, cts.Token);
    }

    [Fact]
    public async Task A_viewer_cannot_start_a_run_and_bad_parameters_are_explained()
    {
        await using var console = await TestConsole.StartAsync();
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        await using var vera = await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);

        var refused = await Assert.ThrowsAsync<HubError>(() =>
            vera.InvokeAsync("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters));
        Assert.Contains("may not start a run", refused.Message);

        var invalid = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster,
            new Dictionary<string, string?> { ["recoveryHost"] = "worker-0", ["ticket"] = "not a ticket" }));
        Assert.Contains("recoveryHost", invalid.Message);
        Assert.Contains("ticket", invalid.Message);
    }

    [Fact]
    public async Task Answers_over_the_hub_refuse_a_viewer_explain_a_wrong_answer_and_an_operators_answer_is_used()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: Path.Combine(AppContext.BaseDirectory, "input-procedures"));
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);
        await using var vera = await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies);

        // A fixture the loader refused would only show as "no valid procedure": say why instead.
        Assert.Empty(console.Get<RecoveryConsole.Procedures.Catalog.ProcedureCatalog>().Invalid.SelectMany(i => i.Errors).Select(e => $"{e.Field}: {e.Message}"));
        var runId = await olivia.InvokeAsync<Guid>("Start", "input-drill", DemoUsers.LabCluster, DemoUsers.SampleParameters);
        using var cts = new CancellationTokenSource(Generous);
        var question = await WaitForAsync(vera, runId, v => Waiting(v, "choose-host"), cts.Token);
        Assert.Equal(["master-0", "master-1", "master-2"], InputRequest.Parse(question.InputRequestJson)!.Options.Select(o => o.Value));

        var viewer = await Assert.ThrowsAsync<HubError>(() => vera.InvokeAsync("ProvideInput", runId, "choose-host", new[] { "master-1" }));
        Assert.Contains("the operator role is needed", viewer.Message);
        var wrong = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("ProvideInput", runId, "choose-host", new[] { "worker-9" }));
        Assert.Contains("Not among the options: worker-9", wrong.Message);
        var two = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("ProvideInput", runId, "choose-host", new[] { "master-1", "master-2" }));
        Assert.Contains("Choose exactly one option", two.Message);
        // A note is no answer: confirming a question as if it were a manual step is refused too.
        var confirm = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("Confirm", runId, "choose-host", "did it"));
        Assert.Contains("asks a question", confirm.Message);

        await olivia.InvokeAsync("ProvideInput", runId, "choose-host", new[] { "master-1" });
        await WaitForAsync(vera, runId, v => Waiting(v, "reason"), cts.Token);
        var form = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("ProvideInput", runId, "reason", new[] { "slow disk" }));
        Assert.Contains("Start with the ticket", form.Message);
        await olivia.InvokeAsync("ProvideInput", runId, "reason", new[] { "DRILL-7: etcd member slow" });

        var done = await WaitForAsync(vera, runId, v => v.Status.IsFinal() ? v : null, cts.Token);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        var chosen = done.Step("choose-host")!;
        Assert.Equal(("olivia", "master-1"), (chosen.ConfirmedBy, chosen.Note));
        Assert.Contains("\"lookAt\":\"master-1\"", chosen.OutputsJson);
        Assert.Equal("DRILL-7: etcd member slow", done.Step("reason")!.Note);
        Assert.Contains(done.Steps, s => s.StepPath == "print" && s.OutputsJson?.Contains("\"looked\":\"master-1\"") == true);
    }

    private static StepView? Waiting(RunView view, string stepPath) =>
        view.Steps.FirstOrDefault(s => s.StepPath == stepPath && s.Status == StepStatus.WaitingForOperator && s.InputRequestJson is not null);

    /// <summary>Follows the run until <paramref name="pick"/> finds something in a snapshot.</summary>
    [Fact]
    public async Task A_follower_learns_when_a_run_waits_for_nobody_but_a_resume_and_a_script_starts_a_linked_retry()
    {
        await using var console = await TestConsole.StartAsync();
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var arjunHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Arjun.Name, DemoUsers.Arjun.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);
        await using var arjun = await HubClient.ConnectAsync(console.BaseAddress, arjunHttp.Cookies);
        var runId = await olivia.InvokeAsync<Guid>("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
        using var cts = new CancellationTokenSource(Generous);
        var pending = await WaitForAsync(olivia, runId, v => v.PendingApproval, cts.Token);
        await arjun.InvokeAsync("Reject", runId, pending.StepPath, "the backup is from the wrong cluster");

        // No cancellation needed: the stream ends by itself once the run is settled, every line delivered.
        var events = new List<RunStreamEvent>();
        await foreach (var e in olivia.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], cts.Token)) events.Add(e);

        Assert.False(cts.IsCancellationRequested);
        var last = events.Last(e => e.Run is not null).Run!;
        Assert.Equal(RunStatus.Failed, last.Status);
        Assert.Contains("Rejected by arjun", last.StatusReason);
        Assert.Equal(last.TranscriptLineCount, events.Where(e => e.Lines is not null).Sum(e => e.Lines!.Count));

        // A script corrects and starts again, linked to the rejected run, as the run page does.
        var retry = await olivia.InvokeAsync<Guid>("StartRetry", runId, DemoUsers.SampleProcedure, DemoUsers.LabCluster, null, DemoUsers.SampleParameters);
        var runs = console.Get<IRunRepository>();
        Assert.Equal(runId, (await runs.GetAsync(retry, CancellationToken.None))!.PreviousRunId);
        await olivia.InvokeAsync("Cancel", retry, "script test over");
        var unknown = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync<Guid>("StartRetry", Guid.NewGuid(), DemoUsers.SampleProcedure, DemoUsers.LabCluster, null, DemoUsers.SampleParameters));
        Assert.Contains("No run", unknown.Message);
    }

    private static async Task<T> WaitForAsync<T>(HubClient client, Guid runId, Func<RunView, T?> pick, CancellationToken cancellationToken) where T : class
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await foreach (var e in client.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], linked.Token))
            if (e.Run is { } view && pick(view) is { } found)
            {
                await linked.CancelAsync();
                return found;
            }
        throw new InvalidOperationException("The stream ended before the condition held.");
    }
}
