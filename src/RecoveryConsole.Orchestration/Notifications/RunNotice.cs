using System.Text.Json.Serialization;

namespace RecoveryConsole.Orchestration.Notifications;

/// <summary>
/// What a notification says: who is needed, for which run and step. Only names and words the run page shows anyway, each
/// passed through the redactor; never parameters, commands or output. <see cref="Id"/> is stable per event, so a receiver
/// that gets a retried POST twice can drop the copy.
/// </summary>
public sealed record RunNotice(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("runId")] Guid RunId,
    [property: JsonPropertyName("procedure")] string Procedure,
    [property: JsonPropertyName("procedureTitle")] string ProcedureTitle,
    [property: JsonPropertyName("cluster")] string Cluster,
    [property: JsonPropertyName("drill")] bool Drill,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("step")] string? Step,
    [property: JsonPropertyName("stepTitle")] string? StepTitle,
    [property: JsonPropertyName("requestedBy")] string? RequestedBy,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("link")] string? Link)
{
    /// <summary>A step waits for a second person's approval.</summary>
    public const string ApprovalNeeded = "approval-needed";
    /// <summary>The run ended failed: someone decides whether to resume it or start again.</summary>
    public const string RunFailed = "run-failed";
}
