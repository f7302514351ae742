using System.Security.Claims;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Accounts;

namespace RecoveryConsole.Web.Runs;

/// <summary>
/// Who may see a run (its page, its live stream on the hub, its exports, its line in the history): anyone holding a
/// role on every cluster of the run (<see cref="Orchestration.Approvals.Actor.MaySee"/>): a multi-cluster run's
/// transcript shows what was done on each, so a role on its main cluster alone is not enough. The answer for a run one may not
/// see is the same as for no run at all, so its existence is not revealed either.
/// </summary>
public sealed class RunAccess(IRunRepository runs)
{
    public async Task<Run?> FindVisibleAsync(Guid runId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        return run is not null && MaySee(user, run) ? run : null;
    }

    /// <summary>The runs started as retries of <paramref name="runId"/> that the user may see, newest first.</summary>
    public async Task<IReadOnlyList<Run>> VisibleRetriesAsync(Guid runId, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await runs.ListAsync(new RunQuery { RetryOf = runId, Take = 20 }, cancellationToken)).Where(r => MaySee(user, r)).ToList();

    public static bool MaySee(ClaimsPrincipal user, Run run) =>
        user.Identity?.IsAuthenticated == true && user.ToActor() is var actor && run.ClusterNames.All(c => actor.MaySee(c, run.IsDrill));
}
