using System.Globalization;
using System.Text;

namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>One line of an edit script: ' ' kept, '-' removed, '+' added; NoNewline when it ends its file without a newline.</summary>
internal sealed record DiffLine(char Tag, string Text, bool NoNewline = false);

/// <summary>
/// The unified diff (as <c>diff -u</c> prints it: three lines of context, <c>@@ -a,b +c,d @@</c> hunks) of an edit
/// script. The edit knows exactly which lines it removes and adds, so no diff algorithm guesses.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static string Render(IReadOnlyList<DiffLine> script, string oldLabel, string newLabel)
    {
        var text = new StringBuilder();
        text.Append("--- ").Append(oldLabel).Append('\n');
        text.Append("+++ ").Append(newLabel).Append('\n');
        // Old and new line numbers before each entry.
        var oldBefore = new int[script.Count + 1];
        var newBefore = new int[script.Count + 1];
        for (var i = 0; i < script.Count; i++)
        {
            oldBefore[i + 1] = oldBefore[i] + (script[i].Tag == '+' ? 0 : 1);
            newBefore[i + 1] = newBefore[i] + (script[i].Tag == '-' ? 0 : 1);
        }
        var i0 = 0;
        while (true)
        {
            var first = Next(script, i0);
            if (first < 0) break;
            var start = Math.Max(i0, first - Context);
            var last = first;
            // Changes closer than twice the context share a hunk.
            for (var n = Next(script, last + 1); n >= 0 && n - last <= 2 * Context; n = Next(script, last + 1)) last = LastOfRun(script, n);
            last = LastOfRun(script, last);
            var end = Math.Min(script.Count, last + 1 + Context);
            var oldCount = oldBefore[end] - oldBefore[start];
            var newCount = newBefore[end] - newBefore[start];
            text.Append("@@ -").Append(Range(oldBefore[start], oldCount)).Append(" +").Append(Range(newBefore[start], newCount)).Append(" @@\n");
            for (var i = start; i < end; i++)
            {
                text.Append(script[i].Tag).Append(script[i].Text).Append('\n');
                if (script[i].NoNewline) text.Append("\\ No newline at end of file\n");
            }
            i0 = end;
        }
        return text.ToString();
    }

    /// <summary>Marks the last line of the old and of the new file when that file ends without a newline.</summary>
    public static IReadOnlyList<DiffLine> MarkMissingNewlines(List<DiffLine> script, bool oldHasIt, bool newHasIt)
    {
        if (!oldHasIt && script.FindLastIndex(l => l.Tag != '+') is var o and >= 0) script[o] = script[o] with { NoNewline = true };
        if (!newHasIt && script.FindLastIndex(l => l.Tag != '-') is var n and >= 0) script[n] = script[n] with { NoNewline = true };
        return script;
    }

    private static int Next(IReadOnlyList<DiffLine> script, int from)
    {
        for (var i = from; i < script.Count; i++) if (script[i].Tag != ' ') return i;
        return -1;
    }

    private static int LastOfRun(IReadOnlyList<DiffLine> script, int i)
    {
        while (i + 1 < script.Count && script[i + 1].Tag != ' ') i++;
        return i;
    }

    /// <summary>diff -u's range: "start,count", "start" for one line, and the line before for an empty range.</summary>
    private static string Range(int before, int count) => count switch
    {
        0 => $"{before.ToString(CultureInfo.InvariantCulture)},0",
        1 => (before + 1).ToString(CultureInfo.InvariantCulture),
        _ => $"{(before + 1).ToString(CultureInfo.InvariantCulture)},{count.ToString(CultureInfo.InvariantCulture)}",
    };
}
