using System.Text.Json;

namespace RecoveryConsole.Orchestration.Runs;

/// <summary>The role → cluster map of a multi-cluster run as stored with it: a JSON object whose order is the procedure's.</summary>
public static class RunClusters
{
    public static string ToJson(IReadOnlyDictionary<string, string> clusters) =>
        JsonSerializer.Serialize(clusters.ToDictionary(kv => kv.Key, kv => kv.Value));

    public static IReadOnlyList<KeyValuePair<string, string>> FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? "")).ToList();
    }

    /// <summary>"source = lab-mgmt-a, destination = lab-mgmt-b": for the audit and the run page.</summary>
    public static string Describe(IEnumerable<KeyValuePair<string, string>> clusters) =>
        string.Join(", ", clusters.Select(kv => $"{kv.Key} = {kv.Value}"));
}
