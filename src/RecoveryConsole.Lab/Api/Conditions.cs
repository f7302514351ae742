using System.Globalization;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>Helpers for <c>status.conditions</c> lists and API timestamps.</summary>
internal static class Conditions
{
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject? Find(JsonObject status, string type) =>
        (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>Sets a condition; lastTransitionTime moves only when the status value changes, as operators do.</summary>
    public static void Set(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }
        var condition = Find(status, type);
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = type };
            conditions.Add(condition);
        }
        if ((string?)condition["status"] != value) condition["lastTransitionTime"] = Timestamp(now);
        condition["status"] = value;
        condition["reason"] = reason;
        condition["message"] = message;
    }
}
