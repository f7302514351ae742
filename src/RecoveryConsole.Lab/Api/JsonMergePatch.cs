using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null deletes a member, anything else (lists too) replaces.</summary>
public static class JsonMergePatch
{
    /// <summary>Returns the patched document; <paramref name="target"/> may be modified in place.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var existing = result[key];
            var merged = Apply(existing, value);
            if (!ReferenceEquals(merged, existing)) result[key] = merged;
        }
        return result;
    }
}
