using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

// Finalizers, as a real API server keeps them: deleting an object that still has finalizers only marks it
// Terminating (metadata.deletionTimestamp); it goes once a later write leaves it with none. This is why the
// documents remove finalizers before deleting objects whose controllers no longer run.
internal sealed partial class LabObjectStore
{
    /// <summary>True when the object still has finalizers: deleting it only marks it.</summary>
    public static bool HasFinalizers(JsonObject obj) => obj["metadata"]?["finalizers"] is JsonArray { Count: > 0 };

    /// <summary>Sets deletionTimestamp (once) on an object with finalizers; returns what is stored (null if a controller finalized it at once).</summary>
    public JsonObject? MarkTerminating(ResourcePath path, JsonObject current)
    {
        var metadata = Metadata(current);
        if (metadata["deletionTimestamp"] is not null) return current;
        metadata["deletionTimestamp"] = Conditions.Timestamp(clock.UtcNow);
        metadata["deletionGracePeriodSeconds"] = 0;
        var marked = Replace(path, current);
        return Get(path) is null ? null : marked;
    }

    /// <summary>The server owns deletionTimestamp: a write cannot clear it, and a Terminating object left with no finalizers goes.</summary>
    private void KeepTerminating(JsonObject old, JsonObject metadata)
    {
        if (old["deletionTimestamp"] is { } deleting) metadata["deletionTimestamp"] = deleting.DeepClone();
        if (old["deletionGracePeriodSeconds"] is { } grace) metadata["deletionGracePeriodSeconds"] = grace.DeepClone();
    }

    private static bool IsFinalized(JsonObject stored) => stored["metadata"]?["deletionTimestamp"] is not null && !HasFinalizers(stored);
}
