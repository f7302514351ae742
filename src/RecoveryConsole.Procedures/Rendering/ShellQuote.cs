using System.Text.RegularExpressions;

namespace RecoveryConsole.Procedures.Rendering;

/// <summary>POSIX shell quoting: a value always reaches the command as exactly one word, whatever it contains.</summary>
public static partial class ShellQuote
{
    // Characters no POSIX shell treats specially anywhere in a word. Everything else is quoted.
    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex Safe();

    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // A leading '-' is quoted too: quoting cannot stop a program reading it as an option (only "--" can),
        // but it shows in the transcript that a value, not a flag written in the procedure, landed there.
        if (value.Length > 0 && value[0] != '-' && Safe().IsMatch(value))
            return value;
        // Inside single quotes nothing is special except the closing quote, so an embedded quote
        // ends the quoted part, adds an escaped quote, and reopens: ' -> '\''
        return "'" + value.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }
}
