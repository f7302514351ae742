namespace RecoveryConsole.Procedures.Model;

/// <summary>Where a captured value is read from.</summary>
public enum CaptureSource
{
    /// <summary>The whole stdout (or API body), trimmed.</summary>
    Output,
    /// <summary>The non-blank stdout lines, as a list.</summary>
    Lines,
    /// <summary>A regular expression over stdout (multiline): group 1 or the whole match; named groups make objects.</summary>
    Regex,
    /// <summary>A field path into a JSON answer (see Expectations.FieldPath; <c>[*]</c> and filters select several).</summary>
    Json,
    /// <summary>An output an action declares (<see cref="ActionSpec"/>).</summary>
    ActionOutput,
}

/// <summary>
/// A value a step captures from what it produced, into a run variable: persisted with the step's record (a resumed run
/// has it) and usable in templates (<c>{{ name }}</c>, <c>{{ name.field }}</c>), conditions and <c>forEach: { items: }</c>.
/// With <see cref="All"/> the variable is a list of every match.
/// </summary>
public sealed record CaptureSpec(string Name, CaptureSource Source, string? Expression = null, bool All = false);

/// <summary>
/// Repeats a step (or group) once per item of a list: a captured list, a hostList parameter or literal items. Each item
/// has its own record (keyed by <see cref="Key"/> or the item's text), so a resume knows which items are done.
/// </summary>
public sealed record ItemLoop
{
    /// <summary>Name of a list variable or hostList parameter; null when <see cref="Literal"/> is given.</summary>
    public string? Items { get; init; }
    public IReadOnlyList<string> Literal { get; init; } = [];
    /// <summary>The name the current item has in templates and conditions (default <c>item</c>).</summary>
    public string As { get; init; } = "item";
    /// <summary>For object items: the field whose value names the item's record (default: the item's text).</summary>
    public string? Key { get; init; }
    /// <summary>A condition over the item (and everything else in scope); items for which it is false are skipped.</summary>
    public string? Where { get; init; }
    public bool Parallel { get; init; }
}

/// <summary>A group repeated in rounds until a condition over the run's variables holds, at most <see cref="Max"/> rounds.</summary>
public sealed record RepeatSpec(string Until, int Max, TimeSpan Every);

public enum InputType
{
    /// <summary>Free text, checked by a pattern when given.</summary>
    Text,
    /// <summary>One of the offered options.</summary>
    Choice,
    /// <summary>Any number of the offered options (none only when not required).</summary>
    MultiChoice,
}

/// <summary>
/// The run stops and asks the operator to choose or enter a value (which CSRs, which machine, a written reason). The
/// answer is validated on the server, audited, and becomes the variable <see cref="Name"/>.
/// </summary>
public sealed record InputSpec
{
    public required string Name { get; init; }
    public required string Prompt { get; init; }
    public InputType Type { get; init; } = InputType.Text;
    /// <summary>A list variable the options come from; null with literal <see cref="Choices"/>.</summary>
    public string? OptionsFrom { get; init; }
    public IReadOnlyList<string> Choices { get; init; } = [];
    /// <summary>For object options: the field that is the option's value (what the variable gets).</summary>
    public string? OptionValue { get; init; }
    /// <summary>A template over the option (<c>{{ option.field }}</c>) shown to the operator.</summary>
    public string? OptionLabel { get; init; }
    /// <summary>Which options are offered already selected: "all", "none" (null) or a condition over <c>option</c>.</summary>
    public string? Preselect { get; init; }
    public string? Pattern { get; init; }
    /// <summary>What the pattern means, in words, for the message when a value does not match.</summary>
    public string? PatternHelp { get; init; }
    public bool Required { get; init; } = true;
    public int MaxLength { get; init; } = 2000;
}
