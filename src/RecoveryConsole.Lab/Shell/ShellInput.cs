using System.Runtime.CompilerServices;

namespace RecoveryConsole.Lab.Shell;

/// <summary>A command's standard input: lines from a pipe, a file or nothing.</summary>
public abstract class ShellInput
{
    public static ShellInput Empty { get; } = new TextInput("");

    /// <summary>Input reading <paramref name="text"/> (a file's content) line by line.</summary>
    public static ShellInput FromText(string text) => new TextInput(text);

    public abstract IAsyncEnumerable<string> ReadLinesAsync(CancellationToken cancellationToken);

    /// <summary>Splits file content into lines; a final line without newline still counts, as for cat.</summary>
    public static IEnumerable<string> SplitLines(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                yield return text[start..];
                yield break;
            }
            yield return text[start..newline];
            start = newline + 1;
        }
    }

    private sealed class TextInput(string text) : ShellInput
    {
        public override async IAsyncEnumerable<string> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var count = 0;
            foreach (var line in SplitLines(text))
            {
                if (++count % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
                yield return line;
            }
            await Task.CompletedTask.ConfigureAwait(false);
        }
    }
}
