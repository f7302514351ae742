using RecoveryConsole.Orchestration.Approvals;

namespace RecoveryConsole.Orchestration.Attention;

/// <summary>What a waiting step needs from a person.</summary>
public enum WaitingKind { Approval, Confirmation, Answer }

/// <summary>One step of one run waiting for a person: an approval, a manual step's confirmation, or a question's answer.</summary>
public sealed record WaitingItem(
    Guid RunId, string ProcedureTitle, string ClusterName, bool IsDrill, IReadOnlyList<string> Clusters,
    WaitingKind Kind, string StepPath, string StepTitle, DateTimeOffset Since, IReadOnlyList<string> Actors)
{
    /// <summary>Whether <paramref name="actor"/> can do it: RunService's own rules (<see cref="RunPermissions"/>).</summary>
    public bool IsFor(Actor actor) => Kind == WaitingKind.Approval
        ? RunPermissions.MayApprove(actor, Clusters, IsDrill, Actors)
        : RunPermissions.Refusal(actor, Roles.Operator, Verb, Clusters, IsDrill) is null;

    public string Verb => Kind switch
    {
        WaitingKind.Approval => "approve",
        WaitingKind.Confirmation => "confirm",
        _ => "answer",
    };
}
