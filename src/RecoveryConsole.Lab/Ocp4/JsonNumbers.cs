using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>Reads numbers from JSON nodes whether they were parsed or built from CLR values (int vs long).</summary>
internal static class JsonNumbers
{
    public static long? Long(JsonNode? node)
    {
        if (node is not JsonValue value) return null;
        if (value.TryGetValue<long>(out var l)) return l;
        if (value.TryGetValue<int>(out var i)) return i;
        if (value.TryGetValue<uint>(out var u)) return u;
        if (value.TryGetValue<double>(out var d)) return (long)d;
        if (value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n)) return n;
        if (value.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p)) return p;
        return null;
    }
}
