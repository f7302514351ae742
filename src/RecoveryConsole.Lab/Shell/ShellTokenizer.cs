using System.Text;

namespace RecoveryConsole.Lab.Shell;

internal enum TokenKind { Word, Operator, Redirection }

internal readonly record struct ShellToken(TokenKind Kind, string Text, ShellRedirection? Redirection = null);

/// <summary>
/// Splits a command line into words, operators and redirections with POSIX quoting rules.
/// The one expansion is command substitution <c>$( ... )</c> (procedures stamp values with <c>$( date ... )</c>): its
/// script goes into <paramref name="substitutions"/> and the word keeps a marker that the shell expands when it runs.
/// Variables and globs stay literal, because procedures render fully quoted values.
/// </summary>
internal static class ShellTokenizer
{
    public const string Newline = "\n";

    /// <summary>Starts a substitution in a word: unquoted (its output is split into fields) or inside double quotes.</summary>
    public const char UnquotedSubstitution = '\uE000', QuotedSubstitution = '\uE001';

    /// <summary>The marker's second char carries the index into the substitution list.</summary>
    public const char SubstitutionIndexBase = '\uE100';

    public static List<ShellToken> Tokenize(string input) => Tokenize(input, []);

    public static List<ShellToken> Tokenize(string input, List<string> substitutions)
    {
        var tokens = new List<ShellToken>();
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            var next = i + 1 < input.Length ? input[i + 1] : '\0';
            switch (c)
            {
                case ' ' or '\t' or '\r':
                    i++;
                    continue;
                case '\\' when next == '\n':
                    i += 2; // line continuation
                    continue;
                case '\n':
                    tokens.Add(Operator(Newline));
                    i++;
                    continue;
                case ';':
                    tokens.Add(Operator(";"));
                    i++;
                    continue;
                case '&' when next == '&':
                    tokens.Add(Operator("&&"));
                    i += 2;
                    continue;
                case '&' when next == '>':
                    i = ReadRedirection(input, i + 1, -1, tokens, substitutions);
                    continue;
                case '&':
                    throw new ShellSyntaxException("background jobs (&) are not supported by the lab shell");
                case '|':
                    tokens.Add(Operator(next == '|' ? "||" : "|"));
                    i += next == '|' ? 2 : 1;
                    continue;
                case '>':
                    i = ReadRedirection(input, i, 1, tokens, substitutions);
                    continue;
                case '<':
                    i = ReadRedirection(input, i, 0, tokens, substitutions);
                    continue;
                case '(' or ')':
                    throw new ShellSyntaxException($"syntax error near unexpected token `{c}'");
            }

            var word = ReadWord(input, ref i, out var plainDigits, substitutions);
            // "2>" is a redirection of fd 2 only when the digits touch the operator and were not quoted.
            if (plainDigits && i < input.Length && input[i] is '>' or '<')
            {
                if (word is not ("0" or "1" or "2"))
                    throw new ShellSyntaxException($"{word}: file descriptors other than 0, 1 and 2 are not supported by the lab shell");
                i = ReadRedirection(input, i, int.Parse(word, System.Globalization.CultureInfo.InvariantCulture), tokens, substitutions);
                continue;
            }
            tokens.Add(new ShellToken(TokenKind.Word, word));
        }
        return tokens;
    }

    private static ShellToken Operator(string text) => new(TokenKind.Operator, text);

    /// <summary>Reads a redirection starting at a '&gt;' or '&lt;'; fd -1 means both stdout and stderr (&amp;&gt;).</summary>
    private static int ReadRedirection(string input, int i, int fd, List<ShellToken> tokens, List<string> substitutions)
    {
        if (input[i] == '<')
        {
            if (i + 1 < input.Length && input[i + 1] == '<')
                throw new ShellSyntaxException("here-documents are not supported by the lab shell");
            i++;
            Add(tokens, fd, RedirectionKind.Input, ReadTarget(input, ref i, substitutions));
            return i;
        }

        i++; // past '>'
        var kind = RedirectionKind.Output;
        if (i < input.Length && input[i] == '>')
        {
            kind = RedirectionKind.Append;
            i++;
        }
        else if (i < input.Length && input[i] == '&' && fd != -1)
        {
            i++;
            var target = ReadTarget(input, ref i, substitutions);
            if (target.Length > 0 && target.All(char.IsAsciiDigit))
            {
                if (target is not ("1" or "2"))
                    throw new ShellSyntaxException($"{target}: bad file descriptor");
                Add(tokens, fd, RedirectionKind.Duplicate, target);
                return i;
            }
            if (fd != 1)
                throw new ShellSyntaxException($"{target}: ambiguous redirect");
            fd = -1; // ">&file" means "&>file"
        }

        Add(tokens, fd, kind, ReadTarget(input, ref i, substitutions));
        return i;
    }

    private static void Add(List<ShellToken> tokens, int fd, RedirectionKind kind, string target)
    {
        if (fd == -1)
        {
            tokens.Add(Redirect(new ShellRedirection(1, kind, target)));
            tokens.Add(Redirect(new ShellRedirection(2, RedirectionKind.Duplicate, "1")));
        }
        else
        {
            tokens.Add(Redirect(new ShellRedirection(fd, kind, target)));
        }
    }

    private static ShellToken Redirect(ShellRedirection r) => new(TokenKind.Redirection, r.Fd + ">", r);

    private static string ReadTarget(string input, ref int i, List<string> substitutions)
    {
        while (i < input.Length && input[i] is ' ' or '\t') i++;
        if (i >= input.Length || IsDelimiter(input[i]))
        {
            var token = i >= input.Length || input[i] == '\n' ? "newline" : input[i].ToString();
            throw new ShellSyntaxException($"syntax error near unexpected token `{token}'");
        }
        return ReadWord(input, ref i, out _, substitutions);
    }

    private static bool IsDelimiter(char c) => c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')';

    /// <summary>Reads one word, removing quotes. <paramref name="plainDigits"/> tells whether it was unquoted digits only.</summary>
    private static string ReadWord(string input, ref int i, out bool plainDigits, List<string> substitutions)
    {
        var sb = new StringBuilder();
        plainDigits = true;
        while (i < input.Length && !IsDelimiter(input[i]))
        {
            var c = input[i];
            if (c == '\'')
            {
                plainDigits = false;
                var end = input.IndexOf('\'', i + 1);
                if (end < 0) throw new ShellSyntaxException("unexpected EOF while looking for matching `''");
                sb.Append(input, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                plainDigits = false;
                i = ReadDoubleQuoted(input, i + 1, sb, substitutions);
            }
            else if (c == '$' && i + 1 < input.Length && input[i + 1] == '(')
            {
                plainDigits = false;
                i = ReadSubstitution(input, i, sb, UnquotedSubstitution, substitutions);
            }
            else if (c == '\\')
            {
                plainDigits = false;
                if (i + 1 < input.Length)
                {
                    if (input[i + 1] != '\n') sb.Append(input[i + 1]);
                    i += 2;
                }
                else
                {
                    sb.Append('\\');
                    i++;
                }
            }
            else
            {
                if (!char.IsAsciiDigit(c)) plainDigits = false;
                sb.Append(c);
                i++;
            }
        }
        plainDigits &= sb.Length > 0;
        return sb.ToString();
    }

    // Inside double quotes a backslash only escapes $ ` " \ and newline; elsewhere it stays literal.
    private static int ReadDoubleQuoted(string input, int i, StringBuilder sb, List<string> substitutions)
    {
        while (i < input.Length)
        {
            var c = input[i];
            if (c == '"') return i + 1;
            if (c == '$' && i + 1 < input.Length && input[i + 1] == '(')
            {
                i = ReadSubstitution(input, i, sb, QuotedSubstitution, substitutions);
                continue;
            }
            if (c == '\\' && i + 1 < input.Length && input[i + 1] is '$' or '`' or '"' or '\\' or '\n')
            {
                if (input[i + 1] != '\n') sb.Append(input[i + 1]);
                i += 2;
                continue;
            }
            sb.Append(c);
            i++;
        }
        throw new ShellSyntaxException("unexpected EOF while looking for matching `\"'");
    }

    /// <summary>Reads <c>$( script )</c> at <paramref name="i"/>, stores the script and appends its marker; returns the index after ')'.</summary>
    private static int ReadSubstitution(string input, int i, StringBuilder sb, char marker, List<string> substitutions)
    {
        if (i + 2 < input.Length && input[i + 2] == '(')
            throw new ShellSyntaxException("arithmetic expansion $(( )) is not supported by the lab shell");
        var start = i + 2;
        var end = MatchingParenthesis(input, start);
        substitutions.Add(input[start..end]);
        sb.Append(marker).Append((char)(SubstitutionIndexBase + substitutions.Count - 1));
        return end + 1;
    }

    /// <summary>The index of the ')' closing a substitution whose script starts at <paramref name="i"/>; quotes and nested $( ) are skipped.</summary>
    private static int MatchingParenthesis(string input, int i)
    {
        var depth = 1;
        while (i < input.Length)
        {
            switch (input[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '\'':
                    var close = input.IndexOf('\'', i + 1);
                    if (close < 0) throw new ShellSyntaxException("unexpected EOF while looking for matching `''");
                    i = close + 1;
                    continue;
                case '"':
                    i = ReadDoubleQuoted(input, i + 1, new StringBuilder(), []);
                    continue;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i;
            }
            i++;
        }
        throw new ShellSyntaxException("unexpected EOF while looking for matching `)'");
    }
}
