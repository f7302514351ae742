using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// A run as exports show it: every free text (parameters, reasons, messages, notes, commands, captured values) passed
/// through the redactor once more. Stored runs are redacted when written; this also covers runs stored before a secret
/// or a shape was known.
/// </summary>
public static class RunViewRedaction
{
    public static RunView Redact(this Redactor redactor, RunView run) => run with
    {
        StatusReason = Text(redactor, run.StatusReason),
        Parameters = run.Parameters.ToDictionary(p => p.Key, p => redactor.Redact(p.Value)),
        Steps = run.Steps.Select(s => s with
        {
            Command = Text(redactor, s.Command),
            Message = Text(redactor, s.Message),
            Note = Text(redactor, s.Note),
            OutputsJson = Text(redactor, s.OutputsJson),
            InputRequestJson = Text(redactor, s.InputRequestJson),
        }).ToList(),
        Approvals = run.Approvals.Select(a => a with { Reason = Text(redactor, a.Reason) }).ToList(),
    };

    private static string? Text(Redactor redactor, string? text) => text is null ? null : redactor.Redact(text);
}
