using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.AuditTrail;

/// <summary>
/// The rows a reviewer relies on (runs with their status and transcript seal, step executions with their outcomes,
/// approvals with their decisions) as chain entries: every mapped column as stored, so the verifier can say which row
/// differs from what the console saved, and in which column. Columns other engineers add are covered without a change here.
/// </summary>
public static class ChainedFacts
{
    public static string? EntityName(object entity) => entity switch
    {
        Run => "run",
        StepExecution => "step",
        Approval => "approval",
        _ => null,
    };

    /// <summary>"entity:id", the key the verifier matches rows and facts on.</summary>
    public static string Key(string entity, string id) => $"{entity}:{id}";

    /// <summary>The fact's detail: {"entity":..,"id":..,"row":{column: stored value, ...}} with columns in name order.</summary>
    public static (string Key, string Detail, Guid RunId) Describe(EntityEntry entry)
    {
        var entity = EntityName(entry.Entity) ?? throw new ArgumentException($"{entry.Entity.GetType().Name} is not a chained fact.");
        var row = Row(entry);
        var id = row["Id"]?.ToString() ?? "";
        var runId = entry.Entity switch { Run r => r.Id, StepExecution s => s.RunId, Approval a => a.RunId, _ => Guid.Empty };
        var detail = new JsonObject { ["entity"] = entity, ["id"] = id, ["row"] = row }.ToJsonString();
        return (Key(entity, id), detail, runId);
    }

    public static JsonObject Row(EntityEntry entry)
    {
        var row = new JsonObject();
        foreach (var property in entry.Metadata.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var value = entry.Property(property.Name).CurrentValue;
            var converter = property.GetTypeMapping().Converter;
            if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
            row[property.Name] = value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
        }
        return row;
    }

    /// <summary>Reads a fact's detail back: its key and its row; null when the detail is not a fact.</summary>
    public static (string Key, JsonObject Row)? Parse(string detail)
    {
        try
        {
            if (JsonNode.Parse(detail) is not JsonObject o || o["row"] is not JsonObject row) return null;
            return (Key(o["entity"]?.GetValue<string>() ?? "", o["id"]?.GetValue<string>() ?? ""), row);
        }
        catch (JsonException) { return null; }
    }

    /// <summary>"Decision is 'Approved', chained 'Rejected'; ..." for the columns that differ.</summary>
    public static string Differences(JsonObject stored, JsonObject chained)
    {
        var names = stored.Select(p => p.Key).Union(chained.Select(p => p.Key)).OrderBy(n => n, StringComparer.Ordinal);
        return string.Join("; ", names
            .Select(n => (Name: n, Now: stored[n]?.ToString(), Then: chained[n]?.ToString()))
            .Where(d => d.Now != d.Then)
            .Select(d => $"{d.Name} is {Quote(d.Now)}, chained {Quote(d.Then)}"));
    }

    private static string Quote(string? value) => value is null ? "empty" : $"'{(value.Length > 80 ? value[..80] + "…" : value)}'";
}
