using System.Globalization;

namespace RecoveryConsole.Procedures.Parameters;

/// <summary>
/// What any parameter value must be before its type is looked at: one line of visible text of sane length. A value
/// reaches shell commands, the audit and the transcript; a line break, a Unicode line separator or an ANSI escape
/// in it would forge lines in an export or repaint a terminal, and a huge one would only be a mistake or an attack.
/// </summary>
public static class ParameterText
{
    /// <summary>Longest value accepted (a path, a host list of a large cluster, a ticket text fit easily).</summary>
    public const int MaxLength = 4096;

    /// <summary>The problem with <paramref name="value"/> in words, or null when it is acceptable text.</summary>
    public static string? Problem(string label, string value)
    {
        if (value.Length > MaxLength)
            return $"{label} is {value.Length:N0} characters long; at most {MaxLength:N0} are accepted.";
        for (var i = 0; i < value.Length; i++)
            if (Forbidden(value[i]) is { } name)
                return $"{label} must not contain control characters or line separators: it has {name} (U+{(int)value[i]:X4}) at position {i + 1}. "
                    + "Enter one line of visible text.";
        return null;
    }

    private static string? Forbidden(char c) => c switch
    {
        '\u001b' => "an escape character (ANSI sequence)",
        '\n' or '\r' or '\u0085' => "a line break",
        '\u2028' => "a Unicode line separator",
        '\u2029' => "a Unicode paragraph separator",
        // Bidirectional overrides and isolates make text read differently from what it is.
        >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069' => "a text-direction override",
        _ when char.GetUnicodeCategory(c) == UnicodeCategory.Control => "a control character",
        _ => null,
    };
}
