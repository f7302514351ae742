using RecoveryConsole.Orchestration.Approvals;

namespace RecoveryConsole.Orchestration.Attention;

/// <summary>What a waiting step needs from a person.</summary>
public enum WaitingKind { Approval, Confirmation, Answer }

/// <summary>One step of one run waiting for a person: an approval, a manual step's confirmation, or a question's answer.</summary>
public sealed record WaitingItem(
    Guid RunId, string ProcedureTitle, string ClusterName, bool IsDrill, IReadOnlyList<string> Clusters,
    WaitingKind Kind, string StepPath, string StepTitle, DateTimeOffset Since, IReadOnlyList<string> Actors)
{
    /// <summary>
    /// Whether <paramref name="actor"/> can do it: the same rules RunService applies (an approver on every cluster of the run
    /// who did not drive it; an operator, or admin, on every cluster for confirmations and answers).
    /// </summary>
    public bool IsFor(Actor actor) => Kind switch
    {
        WaitingKind.Approval => Clusters.All(c => actor.On(c, IsDrill).IsInRole(Roles.Approver))
                                && !Actors.Contains(actor.UserName, StringComparer.OrdinalIgnoreCase),
        _ => Clusters.All(c => actor.On(c, IsDrill) is var on && (on.IsInRole(Roles.Operator) || on.IsInRole(Roles.Admin))),
    };

    public string Verb => Kind switch
    {
        WaitingKind.Approval => "approve",
        WaitingKind.Confirmation => "confirm",
        _ => "answer",
    };
}
