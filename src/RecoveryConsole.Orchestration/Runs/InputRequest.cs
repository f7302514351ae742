using System.Text.Json;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Runs;

/// <summary>What a waiting input step asks the operator, as stored with the step (the server validates answers against it).</summary>
public sealed record InputRequest(
    string Name,
    string Prompt,
    InputType Type,
    IReadOnlyList<InputOption> Options,
    bool Required,
    string? Pattern,
    string? PatternHelp,
    int MaxLength)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static InputRequest From(InputSpec spec, string prompt, IReadOnlyList<InputOption> options) =>
        new(spec.Name, prompt, spec.Type, options, spec.Required, spec.Pattern, spec.PatternHelp, spec.MaxLength);

    public static InputRequest? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<InputRequest>(json, Json);

    /// <summary>The answer as the run will use it, or the reason it is refused (in words for the operator).</summary>
    public (IReadOnlyList<string> Values, string? Problem) Check(IReadOnlyList<string> answer)
    {
        var values = answer.Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        if (values.Any(v => v.Any(c => char.IsControl(c) && c is not '\n' and not '\t') || v.Contains('\u2028') || v.Contains('\u2029')))
            return ([], "The answer contains control characters or line separators.");
        switch (Type)
        {
            case InputType.Text:
                if (values.Count > 1) return ([], "Give one answer.");
                var text = values.FirstOrDefault() ?? "";
                if (text.Length == 0) return Required ? ([], "An answer is required.") : ([""], null);
                if (text.Length > MaxLength) return ([], $"The answer is longer than {MaxLength} characters.");
                if (Pattern is not null && !System.Text.RegularExpressions.Regex.IsMatch(text, $"^(?:{Pattern})$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
                    return ([], PatternHelp ?? "The answer does not have the expected form.");
                return ([text], null);
            default:
                var unknown = values.Where(v => Options.All(o => o.Value != v)).ToList();
                if (unknown.Count > 0) return ([], $"Not among the options: {string.Join(", ", unknown)}.");
                if (Type == InputType.Choice && values.Count != 1) return ([], "Choose exactly one option.");
                if (Required && values.Count == 0) return ([], "Choose at least one option.");
                return (values.Distinct().ToList(), null);
        }
    }
}

public sealed record InputOption(string Value, string Label, bool Selected);
