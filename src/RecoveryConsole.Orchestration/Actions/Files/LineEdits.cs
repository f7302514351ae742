using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>
/// The line operations of an edit, in this order: <c>removeLinesMatching</c> (one regular expression per line of the
/// argument; every matching line goes), <c>replaceLine</c> (a regular expression) with <c>with</c> (one line of text:
/// every matching line becomes it), <c>appendLine</c> (each line of the argument added at the end). A regular expression
/// matches anywhere in a line (anchor it with ^ and $). An operation that matches no line, or an edit that changes
/// nothing, fails in words: nothing is ever changed silently, and an edit never silently does nothing. With
/// <c>inSections</c> (<see cref="IniSections"/>) removeLinesMatching and replaceLine see only the lines of those sections.
/// </summary>
internal sealed record LineEdits(IReadOnlyList<Regex> Remove, Regex? Replace, string? With, IReadOnlyList<string> Append, IReadOnlyList<string> Sections)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    public static readonly string[] ArgumentNames = ["removeLinesMatching", "replaceLine", "with", "appendLine", IniSections.ArgumentName];

    public static LineEdits From(ActionContext context)
    {
        var remove = Lines(context.Argument("removeLinesMatching", "")).Select(p => Pattern("removeLinesMatching", p)).ToList();
        var replacePattern = context.Argument("replaceLine", "");
        var with = context.Arguments.GetValueOrDefault("with");
        if (replacePattern.Length > 0 && with is null)
            throw new StepFailedException("editFile: replaceLine needs 'with', the line that replaces each matching line.");
        if (replacePattern.Length == 0 && with is not null)
            throw new StepFailedException("editFile: 'with' is given but no replaceLine says which line it replaces.");
        if (with is not null && with.Contains('\n', StringComparison.Ordinal))
            throw new StepFailedException("editFile: 'with' must be one line of text (append further lines with appendLine).");
        var append = Lines(context.Argument("appendLine", ""));
        if (remove.Count == 0 && replacePattern.Length == 0 && append.Count == 0)
            throw new StepFailedException("editFile needs at least one operation: removeLinesMatching, replaceLine (with 'with') or appendLine.");
        var sections = IniSections.Names(context.Argument(IniSections.ArgumentName, ""));
        if (sections.Count > 0 && remove.Count == 0 && replacePattern.Length == 0)
            throw new StepFailedException("editFile: inSections limits removeLinesMatching and replaceLine; appendLine adds at the end of the file, outside any section.");
        return new LineEdits(remove, replacePattern.Length > 0 ? Pattern("replaceLine", replacePattern) : null, with, append, sections);
    }

    /// <summary>Applies the operations to <paramref name="text"/>; <paramref name="where"/> ("PATH on HOST") is for messages.</summary>
    public EditedText Apply(string text, string where)
    {
        var finalNewline = text.Length == 0 || text.EndsWith('\n');
        var lines = text.Length == 0 ? [] : (finalNewline ? text[..^1] : text).Split('\n');
        var replacement = new string?[lines.Length];
        var removed = new bool[lines.Length];
        var outside = IniSections.Scope(lines, Sections).Select(inside => !inside).ToArray();
        var within = IniSections.Describe(Sections);
        foreach (var pattern in Remove)
        {
            var hits = Match(pattern, lines, removed, outside);
            if (hits.Count == 0) throw new StepFailedException($"removeLinesMatching '{pattern}' matches no line of {where}{within}: nothing was changed.");
            foreach (var i in hits) removed[i] = true;
        }
        if (Replace is not null)
        {
            var hits = Match(Replace, lines, removed, outside);
            if (hits.Count == 0) throw new StepFailedException($"replaceLine '{Replace}' matches no line of {where}{within}: nothing was changed.");
            foreach (var i in hits) replacement[i] = With!;
        }

        var script = new List<DiffLine>();
        var result = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            // The last line of a file without a final newline gains one when lines are appended after it: a change the diff shows.
            var gainsNewline = i == lines.Length - 1 && !finalNewline && Append.Count > 0;
            if (removed[i]) script.Add(new DiffLine('-', lines[i]));
            else if (replacement[i] is { } with && with != lines[i] || gainsNewline)
            {
                var now = replacement[i] ?? lines[i];
                script.Add(new DiffLine('-', lines[i]));
                script.Add(new DiffLine('+', now));
                result.Add(now);
            }
            else
            {
                script.Add(new DiffLine(' ', lines[i]));
                result.Add(lines[i]);
            }
        }
        foreach (var line in Append)
        {
            script.Add(new DiffLine('+', line));
            result.Add(line);
        }
        if (script.All(l => l.Tag == ' '))
            throw new StepFailedException($"The edit changes nothing in {where} (every line is already as the edit would leave it): nothing was changed.");
        // Lines appended, or the unterminated last line removed: the edited file ends with a newline, as text files do.
        var newFinalNewline = finalNewline || Append.Count > 0 || (lines.Length > 0 && removed[^1]);
        var edited = result.Count == 0 ? "" : string.Join('\n', result) + (newFinalNewline ? "\n" : "");
        return new EditedText(edited, UnifiedDiff.MarkMissingNewlines(script, oldHasIt: finalNewline, newHasIt: newFinalNewline || result.Count == 0));
    }

    private static List<int> Match(Regex pattern, string[] lines, bool[] removed, bool[] outside)
    {
        var hits = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (removed[i] || outside[i]) continue;
            try { if (pattern.IsMatch(lines[i])) hits.Add(i); }
            catch (RegexMatchTimeoutException) { throw new StepFailedException($"The regular expression '{pattern}' took too long on line {i + 1}: simplify it."); }
        }
        return hits;
    }

    private static Regex Pattern(string operation, string pattern)
    {
        try { return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout); }
        catch (ArgumentException e) { throw new StepFailedException($"editFile: {operation} '{pattern}' is not a valid regular expression: {e.Message}"); }
    }

    /// <summary>An argument's lines, without a trailing empty one (YAML block scalars end with a newline).</summary>
    private static List<string> Lines(string value) =>
        value.Length == 0 ? [] : value.TrimEnd('\n').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
}

/// <summary>The edited text and its line-by-line script (kept, removed, added) from which the diff is drawn.</summary>
internal sealed record EditedText(string Text, IReadOnlyList<DiffLine> Script);
