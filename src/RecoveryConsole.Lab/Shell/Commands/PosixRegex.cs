using System.Text;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// Translates POSIX regular expressions to .NET ones. In basic syntax (grep without -E) | + ? ( ) { } are
/// literal and their backslashed forms are operators (GNU); POSIX classes like [[:digit:]] are expanded.
/// </summary>
internal static class PosixRegex
{
    private static readonly (string Posix, string DotNet)[] Classes =
    [
        ("[:digit:]", "0-9"), ("[:alpha:]", "a-zA-Z"), ("[:alnum:]", "a-zA-Z0-9"), ("[:upper:]", "A-Z"),
        ("[:lower:]", "a-z"), ("[:space:]", @"\s"), ("[:blank:]", @" \t"), ("[:xdigit:]", "0-9A-Fa-f"),
        ("[:punct:]", @"!-/:-@\[-`{-~"),
    ];

    public static string ToDotNet(string pattern, bool extended)
    {
        foreach (var (posix, dotNet) in Classes) pattern = pattern.Replace(posix, dotNet, StringComparison.Ordinal);
        if (extended) return pattern;

        var sb = new StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                if ("|+?(){}".Contains(next)) sb.Append(next);
                else sb.Append('\\').Append(next);
            }
            else if ("|+?(){}".Contains(c) || (c == '*' && (i == 0 || (i == 1 && pattern[0] == '^'))))
            {
                sb.Append('\\').Append(c); // a leading * is literal in basic syntax
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
