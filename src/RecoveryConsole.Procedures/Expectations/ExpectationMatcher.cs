using System.Text.Json;
using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Expectations;

/// <summary>
/// Decides whether a probe's outcome meets an expectation. The first failing part explains the failure,
/// in words an operator can act on; output regexes are multiline and time out after one second so a
/// pathological pattern on a huge output cannot hang a run.
/// </summary>
public static class ExpectationMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
    private const int ShownLength = 80;

    public static ExpectationResult Check(Expectation e, ProbeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(outcome);
        var held = new List<string>();
        // A command's checks read the stream(s) the expectation names, and every message says which: "stdout does not
        // match" tells the operator where to look (etcdctl's health verdict is on stderr). An API answer is its body.
        var (output, name) = outcome.HttpStatus is not null || outcome.ExitCode is null
            ? (outcome.Output ?? "", "output")
            : e.Streams switch
            {
                OutputStreams.Stderr => (outcome.Stderr ?? "", "stderr"),
                OutputStreams.Both => ((outcome.Output ?? "") + (outcome.Stderr ?? ""), "output (stdout and stderr)"),
                _ => (outcome.Output ?? "", "stdout"),
            };

        if (e.ExitCode is int code)
        {
            if (outcome.ExitCode is not int actual)
                return Fail($"no exit code (not a command), expected {code}");
            if (actual != code)
                return Fail($"exit code {actual}, expected {code}");
            held.Add($"exit code {code}");
        }

        if (e.Status is int status)
        {
            if (outcome.HttpStatus is not int actual)
                return Fail($"no HTTP status (not an API call), expected {status}");
            if (actual != status)
                return Fail($"HTTP status {actual}, expected {status}");
            held.Add($"HTTP status {status}");
        }
        else if (e.ExitCode is null && outcome.HttpStatus is int actual)
        {
            // An API call without an explicit status must at least succeed.
            if (actual is < 200 or > 299)
                return Fail($"HTTP status {actual}, expected 2xx");
            held.Add($"HTTP status {actual}");
        }

        if (e.OutputIsEmpty is bool wantEmpty)
        {
            var trimmed = output.Trim();
            if (wantEmpty && trimmed.Length > 0)
            {
                var lines = trimmed.Split('\n').Length;
                return Fail($"{name} is not empty ({lines} line{(lines == 1 ? "" : "s")})");
            }
            if (!wantEmpty && trimmed.Length == 0)
                return Fail($"{name} is empty, expected some output");
            held.Add(wantEmpty ? $"{name} is empty" : $"{name} is not empty");
        }

        if (e.OutputMatches is string pattern)
        {
            var match = Match(pattern, output, out var error);
            if (error is not null)
                return Fail(error);
            if (!match!.Success)
                return Fail($"{name} does not match '{pattern}'");
            held.Add($"{name} matches '{pattern}'");
        }

        if (e.OutputNotMatches is string forbidden)
        {
            var match = Match(forbidden, output, out var error);
            if (error is not null)
                return Fail(error);
            if (match!.Success)
                return Fail($"{name} matches '{forbidden}' ('{Shorten(LineAt(output, match.Index))}')");
            held.Add($"{name} does not match '{forbidden}'");
        }

        if (e.Field is string field)
        {
            string? value;
            try
            {
                value = FieldPath.Select(output, field);
            }
            catch (JsonException)
            {
                return Fail($"{name} is not JSON, so {field} cannot be read");
            }
            catch (FormatException ex)
            {
                return Fail(ex.Message);
            }
            if (value is null)
                return Fail(e.FieldEquals is null ? $"{field} is missing" : $"{field} is missing, expected '{e.FieldEquals}'");
            if (e.FieldEquals is string wanted && !string.Equals(value, wanted, StringComparison.Ordinal))
                return Fail($"{field} is '{Shorten(value)}', expected '{wanted}'");
            held.Add($"{field} is '{Shorten(value)}'");
        }
        else if (e.FieldEquals is not null)
        {
            return Fail("the expectation has 'equals' without 'field'");
        }

        foreach (var aggregate in e.Aggregates)
        {
            var verdict = Aggregates.Check(aggregate, output);
            if (!verdict.Holds)
                return verdict;
            held.Add(verdict.Explanation);
        }

        return new ExpectationResult(true, held.Count == 0 ? "nothing was expected" : string.Join(", ", held));
    }

    private static ExpectationResult Fail(string explanation) => new(false, explanation);

    private static Match? Match(string pattern, string output, out string? error)
    {
        error = null;
        try
        {
            return new Regex(pattern, RegexOptions.Multiline, RegexTimeout).Match(output);
        }
        catch (ArgumentException ex)
        {
            error = $"the pattern '{pattern}' is not a valid regular expression ({ex.Message})";
        }
        catch (RegexMatchTimeoutException)
        {
            error = $"matching '{pattern}' took longer than {RegexTimeout.TotalSeconds:0} s";
        }
        return null;
    }

    private static string LineAt(string text, int index)
    {
        var start = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        var end = text.IndexOf('\n', index);
        return text[start..(end < 0 ? text.Length : end)].TrimEnd('\r');
    }

    private static string Shorten(string value) =>
        value.Length <= ShownLength ? value : value[..(ShownLength - 1)] + "…";
}
