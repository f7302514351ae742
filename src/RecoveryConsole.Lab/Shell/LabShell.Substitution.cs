using System.Text;

namespace RecoveryConsole.Lab.Shell;

// Command substitution: $( script ) runs in a subshell on the same host; its output without trailing newlines
// replaces it. Unquoted, the output is split into fields at blanks and newlines; inside double quotes it stays one.
public sealed partial class LabShell
{
    private async Task<List<string>> ExpandWordsAsync(ShellCommand command, Session session)
    {
        var fields = new List<string>();
        foreach (var word in command.Words)
        {
            if (!HasSubstitution(word)) fields.Add(word);
            else fields.AddRange(await ExpandAsync(word, command.Substitutions, session).ConfigureAwait(false));
        }
        return fields;
    }

    /// <summary>Redirection targets are expanded without field splitting (bash reports an ambiguous redirect instead).</summary>
    private async Task<IReadOnlyList<ShellRedirection>> ExpandRedirectionsAsync(ShellCommand command, Session session)
    {
        if (!command.Redirections.Any(r => HasSubstitution(r.Target))) return command.Redirections;
        var result = new List<ShellRedirection>();
        foreach (var r in command.Redirections)
        {
            result.Add(HasSubstitution(r.Target)
                ? r with { Target = string.Join(' ', await ExpandAsync(r.Target, command.Substitutions, session).ConfigureAwait(false)) }
                : r);
        }
        return result;
    }

    private static bool HasSubstitution(string word) =>
        word.Contains(ShellTokenizer.UnquotedSubstitution) || word.Contains(ShellTokenizer.QuotedSubstitution);

    private async Task<List<string>> ExpandAsync(string word, IReadOnlyList<string> substitutions, Session session)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var hasCurrent = false; // a field exists once something (even an empty quoted part) went into it
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c is not (ShellTokenizer.UnquotedSubstitution or ShellTokenizer.QuotedSubstitution))
            {
                current.Append(c);
                hasCurrent = true;
                continue;
            }
            var output = await SubstituteAsync(substitutions[word[++i] - ShellTokenizer.SubstitutionIndexBase], session).ConfigureAwait(false);
            if (c == ShellTokenizer.QuotedSubstitution)
            {
                current.Append(output);
                hasCurrent = true;
                continue;
            }
            var parts = output.Split([' ', '\t', '\n']);
            for (var p = 0; p < parts.Length; p++)
            {
                if (p > 0 && (hasCurrent || current.Length > 0))
                {
                    fields.Add(current.ToString());
                    current.Clear();
                    hasCurrent = false;
                }
                current.Append(parts[p]);
                if (parts[p].Length > 0) hasCurrent = true;
            }
        }
        if (hasCurrent) fields.Add(current.ToString());
        return fields;
    }

    /// <summary>Runs a substitution's script with stdout captured; stderr goes where the command's stderr goes.</summary>
    private async Task<string> SubstituteAsync(string script, Session session)
    {
        ShellScript parsed;
        try
        {
            parsed = ShellParser.Parse(script);
        }
        catch (ShellSyntaxException e)
        {
            await session.Stderr.WriteLineAsync("bash: command substitution: " + e.Message, session.CancellationToken).ConfigureAwait(false);
            return "";
        }
        var capture = new CaptureWriter();
        var inner = new Session(session.Host, capture, session.Stderr, session.CancellationToken) { LastStatus = session.LastStatus };
        try
        {
            await RunListAsync(parsed, inner).ConfigureAwait(false);
        }
        catch (ShellExitException)
        {
            // exit ends only the subshell
        }
        await capture.FlushAsync(session.CancellationToken).ConfigureAwait(false);
        return capture.Text.TrimEnd('\n');
    }

    private sealed class CaptureWriter : ShellWriter
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text) return _text.ToString();
            }
        }

        protected override ValueTask EmitAsync(string line, CancellationToken cancellationToken)
        {
            lock (_text) _text.Append(line).Append('\n');
            return default;
        }
    }
}
