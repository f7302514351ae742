using System.Globalization;
using System.Text;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>The two table styles of the tools: Go's tabwriter (crictl) and olekukonko/tablewriter (etcdctl).</summary>
internal static class TextTables
{
    /// <summary>
    /// tabwriter.NewWriter(out, 20, 1, 3, ' ', 0) as crictl uses it: every column but the last is padded to its widest
    /// cell plus 3 spaces, and to at least 20 characters.
    /// </summary>
    public static List<string> Tabwriter(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, int minWidth = 20, int padding = 3)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = new int[header.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Count - 1 && i < widths.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length + padding);
        }
        for (var i = 0; i < widths.Length; i++) widths[i] = Math.Max(widths[i], minWidth);
        return all.Select(row =>
        {
            var sb = new StringBuilder();
            for (var i = 0; i < row.Count; i++)
            {
                if (i < row.Count - 1) sb.Append(row[i].PadRight(widths[i]));
                else sb.Append(row[i]);
            }
            return sb.ToString();
        }).ToList();
    }

    public enum Align { Right, Default }

    /// <summary>
    /// olekukonko/tablewriter with borders: headers centred, cells right-aligned (ALIGN_RIGHT, as etcdctl sets for
    /// member and endpoint tables) or numbers right and text left (the default, snapshot status).
    /// </summary>
    public static List<string> Bordered(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, Align align)
    {
        var widths = header.Select(h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count && i < widths.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        var border = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        var lines = new List<string> { border, "|" + string.Join("|", header.Select((h, i) => " " + Center(h, widths[i]) + " ")) + "|", border };
        foreach (var row in rows)
        {
            lines.Add("|" + string.Join("|", row.Select((cell, i) =>
            {
                var right = align == Align.Right || IsNumber(cell);
                return " " + (right ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])) + " ";
            })) + "|");
        }
        lines.Add(border);
        return lines;
    }

    private static string Center(string text, int width)
    {
        var gap = width - text.Length;
        if (gap <= 0) return text;
        var left = gap / 2;
        return new string(' ', left) + text + new string(' ', gap - left);
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
