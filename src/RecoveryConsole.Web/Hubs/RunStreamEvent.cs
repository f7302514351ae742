using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Web.Hubs;

/// <summary>
/// One item of the Follow stream: a state snapshot (Run) or a frame of consecutive transcript lines (Lines, from
/// FirstSequence to LastSequence with no gap; the next frame starts at LastSequence + 1).
/// </summary>
public sealed record RunStreamEvent(string Kind, RunView? Run, IReadOnlyList<LineDto>? Lines)
{
    public long? FirstSequence { get; init; }
    public long? LastSequence { get; init; }

    public const string State = "state";
    public const string LinesKind = "lines";

    public static RunStreamEvent From(RunEvent e) => e switch
    {
        RunUpdated u => new RunStreamEvent(State, u.View, null),
        LinesAppended l => new RunStreamEvent(LinesKind, null, l.Lines.Select(LineDto.From).ToList())
        {
            FirstSequence = l.FirstSequence, LastSequence = l.LastSequence,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    };
}

/// <summary>A transcript line; Sequence is dense per run from 1, so a client can check it has everything.</summary>
public sealed record LineDto(long Sequence, string StepPath, string Host, OutputStream Stream, DateTimeOffset Timestamp, string Text)
{
    public static LineDto From(TranscriptLine l) => new(l.Sequence, l.StepPath, l.Host, l.Stream, l.Timestamp, l.Text);
}
