namespace RecoveryConsole.Lab.Shell;

/// <summary>Turns tokens into lists of pipelines (left-associative ; &amp;&amp; || like bash).</summary>
internal static class ShellParser
{
    public static ShellScript Parse(string input)
    {
        var items = new List<ShellListItem>();
        var commands = new List<ShellCommand>();
        var words = new List<string>();
        var redirections = new List<ShellRedirection>();
        var connector = Connector.Always;
        var dangling = false; // after | && || a command must follow (newlines may come first)
        var substitutions = new List<string>();

        foreach (var token in ShellTokenizer.Tokenize(input, substitutions))
        {
            switch (token.Kind)
            {
                case TokenKind.Word:
                    words.Add(token.Text);
                    continue;
                case TokenKind.Redirection:
                    redirections.Add(token.Redirection!);
                    continue;
            }

            var op = token.Text;
            if (words.Count == 0 && redirections.Count == 0)
            {
                if (op == ShellTokenizer.Newline) continue; // blank lines and "a &&<newline>b" are fine
                throw new ShellSyntaxException($"syntax error near unexpected token `{op}'");
            }

            commands.Add(new ShellCommand(words, redirections, substitutions));
            words = [];
            redirections = [];
            if (op == "|")
            {
                dangling = true;
                continue;
            }

            items.Add(new ShellListItem(connector, new ShellPipeline(commands)));
            commands = [];
            connector = op switch { "&&" => Connector.And, "||" => Connector.Or, _ => Connector.Always };
            dangling = connector != Connector.Always;
        }

        if (words.Count > 0 || redirections.Count > 0)
        {
            commands.Add(new ShellCommand(words, redirections, substitutions));
            items.Add(new ShellListItem(connector, new ShellPipeline(commands)));
        }
        else if (dangling)
        {
            throw new ShellSyntaxException("syntax error: unexpected end of file");
        }
        return new ShellScript(items);
    }
}
