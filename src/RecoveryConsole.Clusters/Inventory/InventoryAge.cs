using System.Globalization;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Clusters.Inventory;

/// <summary>How old a registered cluster's stored inventory is, in words, and whether it is too old to trust unchecked.</summary>
/// <param name="Text">"captured from the API by olivia 3 days ago", or a sentence saying there is no capture.</param>
/// <param name="Warning">For stale or missing inventories: what the operator should do about it.</param>
public sealed record InventoryAgeInfo(DateTimeOffset? CapturedAt, bool IsStale, bool NeverCaptured, string Text, string? Warning)
{
    public string? CapturedAtUtc => CapturedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

public static class InventoryAge
{
    /// <summary>Older than this, the inventory is highlighted: nodes get replaced and IPs change within weeks.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(7);

    public static InventoryAgeInfo Of(ClusterDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.InventoryCapturedAt is not { } at)
            return new InventoryAgeInfo(null, false, true, "not captured yet",
                "No inventory was captured from the API: hosts and facts are only as entered at registration. Capture it while the cluster is healthy.");
        var ago = Ago(now - at);
        var parts = definition.InventorySource.Split("; ", 2);
        var text = parts[0].Length == 0 ? $"captured {ago}" : $"{parts[0]} {ago}";
        if (parts.Length > 1) text += "; " + parts[1];
        var stale = now - at > StaleAfter;
        return new InventoryAgeInfo(at, stale, false, text, stale
            ? $"The inventory is {Ago(now - at).Replace(" ago", "", StringComparison.Ordinal)} old: nodes and addresses may have changed since. Check it against the cluster (capture it again if the API answers) before relying on it."
            : null);
    }

    /// <summary>"just now", "5 minutes ago", "1 hour ago", "3 days ago".</summary>
    public static string Ago(TimeSpan age)
    {
        if (age < TimeSpan.FromMinutes(1)) return "just now";
        if (age < TimeSpan.FromHours(1)) return Plural((int)age.TotalMinutes, "minute") + " ago";
        if (age < TimeSpan.FromDays(1)) return Plural((int)age.TotalHours, "hour") + " ago";
        return Plural((int)age.TotalDays, "day") + " ago";
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n.ToString(CultureInfo.InvariantCulture)} {unit}s";
}
