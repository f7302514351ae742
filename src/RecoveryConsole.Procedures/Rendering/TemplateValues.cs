namespace RecoveryConsole.Procedures.Rendering;

/// <summary>
/// Template and condition values are strings; a list travels as its items behind a record-separator mark, so the
/// renderer can quote each item as its own shell word (<c>oc adm certificate approve {{ csrs }}</c>) and <c>in</c> can
/// test membership. Parameter values can never contain the mark: control characters are refused in input.
/// </summary>
public static class TemplateValues
{
    private const char Mark = '\u001E';

    public static string FromList(IEnumerable<string> items) => Mark + string.Join(Mark, items);

    public static bool IsList(string value) => value.Length > 0 && value[0] == Mark;

    /// <summary>The items of a list value; a plain value is split on commas (hostList parameters are stored that way).</summary>
    public static IReadOnlyList<string> Items(string value) =>
        IsList(value)
            ? value.Length == 1 ? [] : value[1..].Split(Mark)
            : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
