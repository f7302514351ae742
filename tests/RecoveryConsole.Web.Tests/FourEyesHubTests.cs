using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>The hub applies the same checks as the pages: text fields, refusals audited as refusals, bound approvals, break-glass off.</summary>
[Trait("Category", "Security")]
public sealed class FourEyesHubTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Over_the_hub_an_empty_cancel_reason_is_refused_and_audited_as_a_refusal_and_approvals_are_bound_to_what_was_reviewed()
    {
        await using var console = await TestConsole.StartAsync();
        using var samHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Sam.Name, DemoUsers.Sam.Password);
        using var arjunHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Arjun.Name, DemoUsers.Arjun.Password);
        await using var sam = await HubClient.ConnectAsync(console.BaseAddress, samHttp.Cookies);
        await using var arjun = await HubClient.ConnectAsync(console.BaseAddress, arjunHttp.Cookies);

        var runId = await sam.InvokeAsync<Guid>("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
        using var cts = new CancellationTokenSource(Generous);
        var pending = await WaitForAsync(sam, runId, v => v.PendingApproval, cts.Token);

        var empty = await Assert.ThrowsAsync<HubError>(() => sam.InvokeAsync("Cancel", runId, ""));
        Assert.Contains("A reason for cancelling is required.", empty.Message);
        var blank = await Assert.ThrowsAsync<HubError>(() => sam.InvokeAsync("Cancel", runId, "   "));
        Assert.Contains("A reason for cancelling is required.", blank.Message);
        var alone = await Assert.ThrowsAsync<HubError>(() => sam.InvokeAsync("ApproveAlone", runId, pending.StepPath, "nobody answers the phone tonight, sorry"));
        Assert.Contains("Break-glass is disabled", alone.Message);
        var stale = await Assert.ThrowsAsync<HubError>(() => arjun.InvokeAsync("ApproveReviewed", runId, pending.StepPath, "ok", new string('0', 64)));
        Assert.Contains("not what you reviewed", stale.Message);

        var audit = await console.Get<IAuditLog>().ListAsync(runId, CancellationToken.None);
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.RunCancelRequested);
        Assert.Equal(2, audit.Count(e => e.Kind == AuditKinds.CommandRefused && e.Actor == "sam" && e.Detail == "cancel: A reason for cancelling is required."));
        Assert.Contains(audit, e => e.Kind == AuditKinds.ApprovalRefused && e.Actor == "sam" && e.Detail.Contains("Break-glass is disabled", StringComparison.Ordinal));

        Assert.NotNull(pending.BindingHash);
        Assert.Contains("cluster lab-ocp4", pending.BindingText);
        await arjun.InvokeAsync("ApproveReviewed", runId, pending.StepPath, "checked what it runs", pending.BindingHash!);
        var decided = await WaitForAsync(sam, runId,
            v => v.Approvals.FirstOrDefault(a => a.Id == pending.Id && a.Decision == ApprovalDecision.Approved), cts.Token);
        Assert.Equal("arjun", decided.DecidedBy);

        await sam.InvokeAsync("Cancel", runId, "test over");
        await WaitForAsync(sam, runId, v => v.Status == RunStatus.Cancelled ? v : null, cts.Token);
        audit = await console.Get<IAuditLog>().ListAsync(runId, CancellationToken.None);
        Assert.Single(audit, e => e.Kind == AuditKinds.RunCancelRequested && e.Detail == "test over");
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
