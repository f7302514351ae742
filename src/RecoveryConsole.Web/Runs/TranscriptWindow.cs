namespace RecoveryConsole.Web.Runs;

/// <summary>
/// Which rows of a (filtered) transcript the page's scroller holds. A browser cannot scroll an element taller than some
/// 16-17 million px (Chromium: about 838,000 rows of 20 px), so a longer transcript is shown a window of
/// <see cref="Size"/> rows at a time: the tail while the reader follows it, around a line they jump to, or moved by
/// Earlier/Later. Rows are indexes into the filtered transcript; the page maps a window row to <c>Start + row</c>.
/// </summary>
public sealed class TranscriptWindow(int size)
{
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size));
    public int Start { get; private set; }
    public int Total { get; private set; }

    /// <summary>Rows in the window now.</summary>
    public int Shown => Math.Max(0, Math.Min(Total - Start, Size));

    public bool IsPartial => Total > Size;
    public bool HasEarlier => Start > 0;
    public bool HasLater => Start + Shown < Total;

    /// <summary>
    /// The transcript now has <paramref name="total"/> rows. A reader following the tail keeps it in the window, moved a
    /// quarter window at a time (rows under a reader shift rarely); a reader looking elsewhere keeps their rows. Returns
    /// whether the window moved.
    /// </summary>
    public bool Grow(int total, bool followingTail)
    {
        Total = Math.Max(0, total);
        var before = Start;
        if (Start > Math.Max(0, Total - 1)) Start = Math.Max(0, Total - Size);
        else if (followingTail && Total - Start > Size) Start = Math.Max(0, Total - Size + Size / 4);
        return Start != before;
    }

    /// <summary>A new view (another filter): the tail window.</summary>
    public void Reset(int total)
    {
        Total = Math.Max(0, total);
        Start = Math.Max(0, Total - Size);
    }

    /// <summary>Makes <paramref name="row"/> part of the window (centred when the window has to move); returns its row in the window.</summary>
    public int Show(int row)
    {
        if (row < Start || row >= Start + Size) Start = Math.Clamp(row - Size / 2, 0, Math.Max(0, Total - Size));
        return row - Start;
    }

    public void Earlier() => Start = Math.Max(0, Start - Size / 2);

    public void Later() => Start = Math.Min(Math.Max(0, Total - Size), Start + Size / 2);
}
