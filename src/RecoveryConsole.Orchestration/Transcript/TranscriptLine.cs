using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>One line of a run's transcript, stamped by the orchestrator. Sequence is dense per run, from 1.</summary>
public sealed record TranscriptLine(
    Guid RunId,
    long Sequence,
    string StepPath,
    string Host,
    OutputStream Stream,
    DateTimeOffset Timestamp,
    string Text);
