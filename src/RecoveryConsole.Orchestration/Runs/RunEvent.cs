using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Runs;

/// <summary>What viewers of a run receive: state snapshots and transcript lines, in order.</summary>
public abstract record RunEvent(Guid RunId);

public sealed record RunUpdated(RunView View) : RunEvent(View.Id);

/// <summary>Consecutive transcript lines (ascending sequence, no gaps within one feed).</summary>
public sealed record LinesAppended(Guid RunId, IReadOnlyList<TranscriptLine> Lines) : RunEvent(RunId);
