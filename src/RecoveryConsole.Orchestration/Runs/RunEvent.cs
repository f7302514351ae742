using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Runs;

/// <summary>What viewers of a run receive: state snapshots and transcript lines, in order.</summary>
public abstract record RunEvent(Guid RunId);

public sealed record RunUpdated(RunView View) : RunEvent(View.Id);

/// <summary>
/// A frame: consecutive transcript lines (ascending sequence, no gaps within one frame). A live frame is made once when the
/// writer commits its lines and the same instance goes to every viewer, so a hub can serialize it once for all of them.
/// </summary>
public sealed record LinesAppended(Guid RunId, IReadOnlyList<TranscriptLine> Lines) : RunEvent(RunId)
{
    public long FirstSequence => Lines.Count == 0 ? 0 : Lines[0].Sequence;
    public long LastSequence => Lines.Count == 0 ? 0 : Lines[^1].Sequence;
}
