using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Hubs;

/// <summary>
/// Runs for programs and other consoles: Follow streams a run's state and transcript (late joiners get everything so
/// far, then live lines, no gap, no duplicate); the commands act as the signed-in user, checked by the RunService.
/// </summary>
[Authorize]
public sealed class RunHub(RunService runs, RunFeed feed, RunAccess access, FrameJson json) : Hub
{
    public const string Path = "/hubs/runs";

    /// <summary>
    /// Items are <see cref="RunStreamEvent"/>s (serialized once per live frame for all clients, in messages of about 32 KB, see
    /// <see cref="FrameJson"/>).
    /// Ends by itself once nothing happens without a person: the run is over (Succeeded, Cancelled) or waits only for a
    /// resume (Failed, Interrupted; the last state event says which and why). After Resume, or when the connection dropped,
    /// follow again from the last sequence received: nothing is lost or repeated. A client that stops reading is not cut off:
    /// the server holds a bounded amount for it and it catches up from the store when it reads again.
    /// </summary>
    public async IAsyncEnumerable<SerializedEvent> Follow(Guid runId, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Checked on the server: a run on a cluster the user holds no role on looks like no run at all.
        if (await access.FindVisibleAsync(runId, Context.User!, cancellationToken) is null) throw new HubException($"No run {runId}.");
        await using var events = RunFollower.FollowAsync(feed, runId, afterSequence, stopWhenSettled: true, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await events.MoveNextAsync()) yield break;
            }
            catch (KeyNotFoundException e) { throw new HubException(e.Message.Trim('\'')); }
            foreach (var message in json.For(events.Current)) yield return message;
        }
    }

    public Task<Guid> Start(string procedureId, string clusterName, Dictionary<string, string?> parameters) =>
        CommandAsync(actor => runs.StartAsync(new StartRunRequest(procedureId, clusterName, parameters), actor, Context.ConnectionAborted));

    /// <summary>Starts a multi-cluster procedure: <paramref name="clusters"/> is role → cluster name (the first role's is <paramref name="clusterName"/>).</summary>
    public Task<Guid> StartOn(string procedureId, string clusterName, Dictionary<string, string> clusters, Dictionary<string, string?> parameters) =>
        CommandAsync(actor => runs.StartAsync(new StartRunRequest(procedureId, clusterName, parameters, clusters), actor, Context.ConnectionAborted));

    /// <summary>
    /// A new run with corrected parameters after <paramref name="previousRunId"/> failed to start or was rejected, linked to it
    /// as the run page's "Start a new run with corrected parameters" links it. The old run must be one the caller may see.
    /// </summary>
    public async Task<Guid> StartRetry(Guid previousRunId, string procedureId, string clusterName, Dictionary<string, string>? clusters,
        Dictionary<string, string?> parameters)
    {
        if (await access.FindVisibleAsync(previousRunId, Context.User!, Context.ConnectionAborted) is null) throw new HubException($"No run {previousRunId}.");
        return await CommandAsync(actor => runs.StartAsync(new StartRunRequest(procedureId, clusterName, parameters, clusters, previousRunId), actor,
            Context.ConnectionAborted));
    }

    public Task Approve(Guid runId, string stepPath, string? reason) =>
        CommandAsync(actor => runs.ApproveAsync(runId, stepPath, actor, reason, Context.ConnectionAborted));

    /// <summary>Approves what the approver reviewed: refused when the step's binding (hash) is no longer <paramref name="binding"/>.</summary>
    public Task ApproveReviewed(Guid runId, string stepPath, string? reason, string binding) =>
        CommandAsync(actor => runs.ApproveAsync(runId, stepPath, actor, reason, Context.ConnectionAborted, binding));

    /// <summary>Break-glass: approve alone with a justification, when an admin enabled it; audited and listed until reviewed.</summary>
    public Task ApproveAlone(Guid runId, string stepPath, string justification) =>
        CommandAsync(actor => runs.ApproveAloneAsync(runId, stepPath, actor, justification, Context.ConnectionAborted));

    public Task ReviewBreakGlass(Guid runId, long approvalId, string note) =>
        CommandAsync(actor => runs.ReviewBreakGlassAsync(runId, approvalId, actor, note, Context.ConnectionAborted));

    public Task Reject(Guid runId, string stepPath, string reason) =>
        CommandAsync(actor => runs.RejectAsync(runId, stepPath, actor, reason, Context.ConnectionAborted));

    public Task Confirm(Guid runId, string stepPath, string note) =>
        CommandAsync(actor => runs.ConfirmAsync(runId, stepPath, actor, note, Context.ConnectionAborted));

    /// <summary>Answers a waiting input step: the chosen option values, or one text. The server checks it against the question.</summary>
    public Task ProvideInput(Guid runId, string stepPath, string[] answer) =>
        CommandAsync(actor => runs.ProvideInputAsync(runId, stepPath, actor, answer ?? [], Context.ConnectionAborted));

    public Task Cancel(Guid runId, string reason) =>
        CommandAsync(actor => runs.CancelAsync(runId, actor, reason, Context.ConnectionAborted));

    public Task Resume(Guid runId, string confirmation) =>
        CommandAsync(actor => runs.ResumeAsync(runId, actor, confirmation, Context.ConnectionAborted));

    private async Task CommandAsync(Func<Orchestration.Approvals.Actor, Task> command) =>
        await CommandAsync(async actor => { await command(actor); return true; });

    /// <summary>Refusals reach the client with their message; anything else stays a generic server error (details in the log).</summary>
    private async Task<T> CommandAsync<T>(Func<Orchestration.Approvals.Actor, Task<T>> command)
    {
        try { return await command(Context.User!.ToActor()); }
        catch (Exception e) when (CommandErrors.IsForUser(e)) { throw new HubException(CommandErrors.Describe(e)); }
    }
}
