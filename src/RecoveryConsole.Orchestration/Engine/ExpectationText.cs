using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>An expectation in words, for plans and wait messages ("the output is empty").</summary>
public static class ExpectationText
{
    public static string Describe(Expectation e)
    {
        var parts = new List<string>();
        var output = e.Streams switch { OutputStreams.Stderr => "stderr", OutputStreams.Both => "the output (stdout and stderr)", _ => "the output" };
        if (e.OutputIsEmpty == true) parts.Add($"{output} is empty");
        if (e.OutputIsEmpty == false) parts.Add($"{output} is not empty");
        if (e.OutputMatches is { } m) parts.Add($"{output} matches /{m}/");
        if (e.OutputNotMatches is { } n) parts.Add($"{output} does not match /{n}/");
        if (e.Field is { } f) parts.Add(e.FieldEquals is { } v ? $"{f} is '{v}'" : $"{f} is present");
        if (e.Status is { } s) parts.Add($"the API answers {s}");
        if (e.ExitCode is { } x && (parts.Count == 0 || x != 0)) parts.Add($"the exit code is {x}");
        return parts.Count == 0 ? "the call succeeds" : string.Join(" and ", parts);
    }
}
