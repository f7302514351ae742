namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// The free-text fields of commands (cancel reason, resume note, rejection reason, confirmation note, justification), checked
/// the same way whichever path sent them (page, hub): trimmed, not empty when required, not longer than the store keeps.
/// </summary>
public static class CommandText
{
    public const int MaxLength = 2000;

    /// <summary>The trimmed text; a clear refusal when it is missing, too short or too long.</summary>
    public static string Required(string? text, string what, int minimum = 1)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) throw new ArgumentException($"{what} is required.");
        if (trimmed.Length < minimum) throw new ArgumentException($"{what} needs at least {minimum} characters (it has {trimmed.Length}).");
        return Limited(trimmed, what);
    }

    /// <summary>The trimmed text or null when empty; too long is refused.</summary>
    public static string? Optional(string? text, string what)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length == 0 ? null : Limited(trimmed, what);
    }

    private static string Limited(string text, string what) => text.Length <= MaxLength
        ? text
        : throw new ArgumentException($"{what} is too long ({text.Length} characters; at most {MaxLength}).");
}
