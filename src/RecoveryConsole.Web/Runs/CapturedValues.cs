using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Web.Runs;

/// <summary>A value a step captured or an operator gave, as the step list shows it ("vips = [a, b, … +3]").</summary>
public sealed record CapturedValue(string Name, string Text);

/// <summary>
/// Reads a step record's OutputsJson ({"layer": ..., "values": {...}}) for reviewers: short enough for a step list line,
/// lists cut after a few items with how many are left, so a long CSR list never floods the page.
/// </summary>
public static class CapturedValues
{
    private const int ListItems = 4, ItemLength = 40, TextLength = 120;

    public static IReadOnlyList<CapturedValue> Read(string? outputsJson)
    {
        if (string.IsNullOrWhiteSpace(outputsJson)) return [];
        try
        {
            if (JsonNode.Parse(outputsJson) is not JsonObject { } record || record["values"] is not JsonObject values) return [];
            return values.Select(v => new CapturedValue(v.Key, Shorten(v.Value))).ToList();
        }
        catch (JsonException) { return []; } // a record written by an older console: show nothing rather than fail the page
    }

    public static string Shorten(JsonNode? value) => value switch
    {
        null => "(none)",
        JsonArray list => "[" + string.Join(", ", list.Take(ListItems).Select(i => Cut(Scalar(i), ItemLength)))
                          + (list.Count > ListItems ? $", … +{list.Count - ListItems}" : "") + "]",
        _ => Cut(Scalar(value), TextLength),
    };

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static string Cut(string text, int length)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length > length ? text[..(length - 1)] + "…" : text;
    }
}
