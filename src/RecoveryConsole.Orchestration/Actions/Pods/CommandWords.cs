using System.Text;
using System.Text.Json;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Actions.Pods;

/// <summary>
/// The command of a podExec as words: a JSON list (<c>["etcdctl", "member", "list"]</c>, what a list value renders to)
/// or text split like a shell would (spaces; single and double quotes keep words together). No shell runs it.
/// </summary>
internal static class CommandWords
{
    public static IReadOnlyList<string> Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('['))
        {
            try
            {
                var words = JsonSerializer.Deserialize<List<string>>(trimmed);
                if (words is { Count: > 0 }) return words;
            }
            catch (JsonException e) { throw new StepFailedException($"The command {trimmed} is not a JSON list of strings: {e.Message}"); }
            throw new StepFailedException("The command is an empty list: nothing to run.");
        }
        return Split(trimmed);
    }

    private static List<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var started = false;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else current.Append(c);
            }
            else if (c is '\'' or '"') { quote = c; started = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (started) words.Add(current.ToString());
                current.Clear();
                started = false;
            }
            else { current.Append(c); started = true; }
        }
        if (quote is not null) throw new StepFailedException($"The command has an unclosed {quote} quote: {text}");
        if (started) words.Add(current.ToString());
        if (words.Count == 0) throw new StepFailedException("The command is empty: nothing to run.");
        return words;
    }
}
