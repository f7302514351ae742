using System.Globalization;
using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Parameters;

/// <summary>
/// Checks the values an operator entered against a procedure's parameter definitions and produces the
/// final values (defaults applied, bools/ints/host lists normalised) that templates and conditions see.
/// A blank value counts as not given.
/// </summary>
public static class ParameterValidator
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    public static IReadOnlyList<ParameterProblem> Validate(
        Procedure procedure, IReadOnlyDictionary<string, string?> values, HostSets hosts) =>
        Check(procedure, values, hosts, out _);

    /// <summary>Final values for every parameter (optional ones without a value are ""); throws <see cref="ParameterValidationException"/>.</summary>
    public static IReadOnlyDictionary<string, string> Resolve(
        Procedure procedure, IReadOnlyDictionary<string, string?> values, HostSets hosts)
    {
        var problems = Check(procedure, values, hosts, out var resolved);
        return problems.Count == 0 ? resolved : throw new ParameterValidationException(problems);
    }

    private static List<ParameterProblem> Check(
        Procedure procedure, IReadOnlyDictionary<string, string?> values, HostSets hosts,
        out Dictionary<string, string> resolved)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(hosts);
        var problems = new List<ParameterProblem>();
        resolved = new Dictionary<string, string>(StringComparer.Ordinal);

        // A value for a name the procedure does not declare is a stale or mistyped form field.
        foreach (var name in values.Keys.Where(n => procedure.Parameters.All(p => p.Name != n)).Order(StringComparer.Ordinal))
            problems.Add(new(Shorten(name), $"'{Shorten(name)}' is not a parameter of {procedure.Id}."));

        foreach (var definition in procedure.Parameters)
        {
            values.TryGetValue(definition.Name, out var given);
            var value = string.IsNullOrWhiteSpace(given) ? definition.Default : given;
            if (string.IsNullOrWhiteSpace(value))
            {
                if (definition.Required)
                    problems.Add(new(definition.Name, $"{Label(definition)} is required."));
                else
                    resolved[definition.Name] = "";
                continue;
            }
            var problem = CheckValue(definition, value, hosts, out var normalized);
            if (problem is null)
                resolved[definition.Name] = normalized;
            else
                problems.Add(new(definition.Name, problem));
        }
        return problems;
    }

    /// <summary>
    /// Checks one non-blank value; returns the problem or null. With <paramref name="hosts"/> null, host
    /// membership is not checked (the loader validates defaults before any cluster is known).
    /// </summary>
    internal static string? CheckValue(ParameterDefinition definition, string value, HostSets? hosts, out string normalized)
    {
        normalized = value;
        var label = Label(definition);
        if (ParameterText.Problem(label, value) is { } text)
            return text;
        // A refusal travels to the client and the log: a secret value is never repeated in it.
        var shown = definition.Secret ? "the value given" : $"'{value}'";
        switch (definition.Type)
        {
            case ParameterType.Path:
                if (value.IndexOfAny(['\0', '\n', '\r']) >= 0)
                    return $"{label} must not contain control characters (NUL or line breaks).";
                if (!value.StartsWith('/'))
                    return $"{label} must be an absolute path (starting with '/'), not {shown}.";
                return null;

            case ParameterType.Bool:
                normalized = value.Trim().ToLowerInvariant();
                return normalized is "true" or "false" ? null : $"{label} must be true or false, not {shown}.";

            case ParameterType.Int:
                if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    return $"{label} must be a whole number, not {shown}.";
                normalized = number.ToString(CultureInfo.InvariantCulture);
                return null;

            case ParameterType.Enum:
                normalized = value.Trim();
                return definition.Choices.Contains(normalized, StringComparer.Ordinal)
                    ? null
                    : $"{label} must be one of {string.Join(", ", definition.Choices)}, not {shown}.";

            case ParameterType.String:
                if (definition.Pattern is null)
                    return null;
                try
                {
                    // Anchored here so that a pattern written without ^...$ still has to match the whole value.
                    return Regex.IsMatch(value, $@"\A(?:{definition.Pattern})\z", RegexOptions.None, PatternTimeout)
                        ? null
                        : $"{label}: {shown} does not have the expected form. {PatternRule(definition)}";
                }
                catch (RegexMatchTimeoutException)
                {
                    return $"{label} could not be checked in time; enter a shorter value. {PatternRule(definition)}";
                }

            case ParameterType.Host:
                normalized = value.Trim();
                return CheckHost(definition, label, normalized, hosts);

            case ParameterType.HostList:
                var names = value.Split(',', StringSplitOptions.TrimEntries);
                if (names.Any(n => n.Length == 0))
                    return $"{label} is a comma-separated list of host names without empty entries, not {shown}.";
                var repeated = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (repeated is not null)
                    return $"{label} names {repeated.Key} more than once.";
                normalized = string.Join(",", names);
                return names.Select(n => CheckHost(definition, label, n, hosts)).FirstOrDefault(p => p is not null);

            default:
                return $"{label} has an unsupported type {definition.Type}.";
        }
    }

    private static string? CheckHost(ParameterDefinition definition, string label, string host, HostSets? hosts)
    {
        if (hosts is null)
            return null;
        var setName = definition.From ?? HostSetNames.AllHosts;
        var set = hosts.Get(setName) ?? [];
        return set.Contains(host, StringComparer.Ordinal)
            ? null
            : $"{label}: '{host}' is not one of the {setName} ({(set.Count == 0 ? "none" : string.Join(", ", set))}).";
    }

    /// <summary>A stray field name is echoed back: never a 40 KB one, and never its control characters.</summary>
    private static string Shorten(string name)
    {
        var visible = new string(name.Take(64).Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? '?' : c).ToArray());
        return name.Length > 64 ? visible + "…" : visible;
    }

    private static string Label(ParameterDefinition definition) =>
        string.IsNullOrWhiteSpace(definition.Label) ? definition.Name : definition.Label;

    /// <summary>
    /// The rule in words: the procedure's <c>patternHelp</c>, else a pointer to the field's help. Operators are not
    /// asked to read a regular expression.
    /// </summary>
    public static string PatternRule(ParameterDefinition definition)
    {
        if (definition.PatternHelp?.Trim() is not { Length: > 0 } help)
            return "See the help under the field for what it takes.";
        return help.EndsWith('.') ? help : help + ".";
    }
}
