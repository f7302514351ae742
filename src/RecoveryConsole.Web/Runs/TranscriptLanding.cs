using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Runs;

/// <summary>
/// The rows around a line the reader jumps to, read before the page scrolls there, so that when Virtualize asks for the
/// rows at the new place they are handed over at once: no placeholder render, no second query, one render fewer on the
/// jump's path. Rows are indexes into the filtered transcript (not into the window), which only grows at its end, so
/// what was read stays right for that filter whatever the window or the count do meanwhile.
/// </summary>
public sealed class TranscriptLanding
{
    /// <summary>Rows read on each side of the target: more than a tall viewport plus Virtualize's overscan on both sides.</summary>
    public const int Reach = 150;

    private TranscriptFilter? filter;
    private int first;
    private IReadOnlyList<TranscriptLine> lines = [];

    /// <summary>The first row to read so that <paramref name="row"/> has <see cref="Reach"/> rows on each side (fewer at the start).</summary>
    public static int FirstRow(int row) => Math.Max(0, row - Reach);

    /// <summary>Rows to read from <see cref="FirstRow"/>.</summary>
    public static int Rows(int row) => row - FirstRow(row) + Reach + 1;

    /// <summary>Keeps the rows read from <paramref name="firstRow"/> under <paramref name="view"/>, replacing the previous landing.</summary>
    public void Hold(TranscriptFilter view, int firstRow, IReadOnlyList<TranscriptLine> read) => (filter, first, lines) = (view, firstRow, read);

    /// <summary>The rows <paramref name="start"/> .. start+count-1 of <paramref name="view"/> when all of them were read, else null.</summary>
    public IReadOnlyList<TranscriptLine>? Take(TranscriptFilter view, int start, int count)
    {
        if (filter is null || view != filter || count <= 0 || start < first) return null;
        var from = start - first;
        if (from + count > lines.Count) return null;
        return lines.Skip(from).Take(count).ToList();
    }
}
