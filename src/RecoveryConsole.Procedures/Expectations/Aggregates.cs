using System.Text.Json;
using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Expectations;

/// <summary>Counts, all and none over the items of an answer, with the items that broke the rule named in the explanation.</summary>
internal static class Aggregates
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);
    private const int Named = 5;

    public static ExpectationResult Check(AggregateCheck check, string output)
    {
        List<(string Label, string? Value)> items;
        try { items = Items(check, output); }
        catch (JsonException) { return new(false, $"output is not JSON, so {check.Of} cannot be read"); }
        catch (FormatException ex) { return new(false, ex.Message); }

        var satisfying = items.Where(i => Holds(check, i.Value)).ToList();
        var failing = items.Where(i => !Holds(check, i.Value)).ToList();
        var what = Describe(check);
        return check.Kind switch
        {
            AggregateKind.Count => CountVerdict(check, satisfying.Count, what),
            AggregateKind.All when items.Count == 0 => new(false, $"{check.Of} has no items, expected every item {what}"),
            AggregateKind.All when failing.Count > 0 => new(false, $"{failing.Count} of {items.Count} item(s) of {check.Of} not {what}: {Names(failing)}"),
            AggregateKind.All => new(true, $"all {items.Count} item(s) of {check.Of} {what}"),
            AggregateKind.None when satisfying.Count > 0 => new(false, $"{satisfying.Count} item(s) of {check.Of} {what}: {Names(satisfying)}"),
            _ => new(true, $"no item of {check.Of} {what}"),
        };
    }

    private static ExpectationResult CountVerdict(AggregateCheck check, int count, string what)
    {
        var subject = $"{count} item(s) of {check.Of}{(what.Length > 0 ? " " + what : "")}";
        if (check.CountEquals is int n && count != n) return new(false, $"{subject}, expected {n}");
        if (check.AtLeast is int min && count < min) return new(false, $"{subject}, expected at least {min}");
        if (check.AtMost is int max && count > max) return new(false, $"{subject}, expected at most {max}");
        return new(true, subject);
    }

    /// <summary>The items and, per item, the value the predicate looks at (the item itself for lines).</summary>
    private static List<(string Label, string? Value)> Items(AggregateCheck check, string output)
    {
        if (check.Of == AggregateCheck.Lines)
            return output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Select(l => (l, (string?)l)).ToList();
        using var document = JsonDocument.Parse(output);
        var elements = FieldPath.Parse(check.Of).SelectAll(document.RootElement);
        // "items" selects the array itself: its elements are the items.
        if (elements.Count == 1 && elements[0].ValueKind == JsonValueKind.Array) elements = elements[0].EnumerateArray().ToList();
        var field = check.Field is null ? null : FieldPath.Parse(check.Field);
        return elements.Select(e => (Label(e), field is null ? FieldPath.TextOf(e) : field.Select(e))).ToList();
    }

    private static string Label(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("metadata", out var m) && m.TryGetProperty("name", out var n)
            ? n.GetString() ?? "?"
            : FieldPath.TextOf(e) ?? "null";

    private static bool Holds(AggregateCheck check, string? value)
    {
        if (check.Missing is bool missing) return (value is null) == missing;
        if (check.EqualsValue is not null) return string.Equals(value, check.EqualsValue, StringComparison.Ordinal);
        if (check.Matches is not null) return value is not null && Regex.IsMatch(value, check.Matches, RegexOptions.None, RegexTimeout);
        return true;
    }

    private static string Describe(AggregateCheck check)
    {
        var subject = check.Field ?? "";
        if (check.Missing is bool missing) return $"with {subject} {(missing ? "missing" : "present")}";
        if (check.EqualsValue is not null) return subject.Length > 0 ? $"with {subject} = '{check.EqualsValue}'" : $"= '{check.EqualsValue}'";
        if (check.Matches is not null) return subject.Length > 0 ? $"with {subject} matching '{check.Matches}'" : $"matching '{check.Matches}'";
        return "";
    }

    private static string Names(List<(string Label, string? Value)> items) =>
        string.Join(", ", items.Take(Named).Select(i => i.Label)) + (items.Count > Named ? $" and {items.Count - Named} more" : "");
}
