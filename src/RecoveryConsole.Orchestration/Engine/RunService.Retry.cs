using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// A new run with corrected parameters after a failed start or a rejection: resuming would send the same bad values
/// again (and a rejected run cannot be resumed), so the operator starts afresh and the two runs name each other.
/// </summary>
public sealed partial class RunService
{
    /// <summary>The run the request retries, checked: it exists, ran the same procedure and is over; null when none.</summary>
    private async Task<Run?> RetriedRunAsync(StartRunRequest request, Procedure procedure, Actor actor, CancellationToken cancellationToken)
    {
        if (request.PreviousRunId is not { } id) return null;
        var previous = await _env.Runs.GetAsync(id, cancellationToken);
        var problem = previous switch
        {
            null => $"There is no run {id} to retry.",
            _ when previous.ProcedureId != procedure.Id =>
                $"Run {id} ran {previous.ProcedureTitle}, not {procedure.Title}: a retry starts the same procedure.",
            _ when previous.Status.IsActive() || previous.Status == RunStatus.Succeeded =>
                $"Run {id} is {previous.Status}: only a failed, cancelled or interrupted run is retried with a new run.",
            _ => null,
        };
        if (problem is null) return previous;
        await AuditAsync(actor, AuditKinds.RunRefused, null, $"{procedure.Id} on {request.ClusterName}: {problem}");
        throw new ArgumentException(problem);
    }
}
