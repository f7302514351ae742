using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Ocp4.Etcd;

/// <summary>
/// The lab's stand-in for an etcd snapshot (a bbolt file in reality): the whole keyspace as JSON with its revision,
/// the OpenShift z-stream it was taken on, and a hash over the data so that a damaged file is detected by
/// <c>etcdctl snapshot status</c> and by a restore. Files of this format can be copied between hosts.
/// </summary>
internal sealed record EtcdSnapshotFile(
    SortedDictionary<string, JsonObject> Objects,
    long Revision,
    string OpenShiftVersion,
    string EtcdVersion,
    ulong ClusterId,
    DateTimeOffset TakenAt,
    uint Hash)
{
    public const string Header = "# RecoveryConsole lab etcd snapshot (stands in for a bbolt database file)";

    public int TotalKeys => Objects.Count + 1; // plus etcd's own compaction key

    /// <summary>A database of this size on disk: mostly pages that etcd keeps, plus the objects.</summary>
    public long TotalSize => 45_056_000 + Objects.Values.Sum(o => (long)o.ToJsonString().Length) * 24 / 4096 * 4096;

    public static EtcdSnapshotFile Create(SortedDictionary<string, JsonObject> objects, long revision, string openShiftVersion,
        string etcdVersion, ulong clusterId, DateTimeOffset takenAt) =>
        new(objects, revision, openShiftVersion, etcdVersion, clusterId, takenAt, HashOf(objects, revision));

    public string ToText()
    {
        var data = new JsonObject();
        foreach (var (key, obj) in Objects) data[key] = obj.DeepClone();
        var root = new JsonObject
        {
            ["format"] = 1,
            ["revision"] = Revision,
            ["openshiftVersion"] = OpenShiftVersion,
            ["etcdVersion"] = EtcdVersion,
            ["clusterId"] = EtcdMember.Hex(ClusterId),
            ["takenAt"] = TakenAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["hash"] = Hash,
            ["objects"] = data,
        };
        return Header + "\n" + root.ToJsonString() + "\n";
    }

    /// <summary>Null when the text is not an intact snapshot (missing parts, or data that does not match its hash).</summary>
    public static EtcdSnapshotFile? Parse(string? text)
    {
        if (text is null || !text.StartsWith(Header, StringComparison.Ordinal)) return null;
        try
        {
            var root = JsonNode.Parse(text[Header.Length..]) as JsonObject;
            if (root?["objects"] is not JsonObject data) return null;
            var objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var (key, value) in data)
            {
                if (value is not JsonObject obj) return null;
                objects[key] = (JsonObject)obj.DeepClone();
            }
            var revision = (long?)root["revision"] ?? 0;
            var hash = (uint?)root["hash"] ?? 0;
            if (hash != HashOf(objects, revision)) return null;
            return new EtcdSnapshotFile(objects, revision, (string?)root["openshiftVersion"] ?? "", (string?)root["etcdVersion"] ?? "",
                ulong.Parse((string?)root["clusterId"] ?? "0", NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                DateTimeOffset.Parse((string?)root["takenAt"] ?? "", CultureInfo.InvariantCulture), hash);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private static uint HashOf(SortedDictionary<string, JsonObject> objects, long revision)
    {
        unchecked
        {
            var hash = 2166136261u;
            void Add(string s)
            {
                foreach (var b in Encoding.UTF8.GetBytes(s))
                {
                    hash ^= b;
                    hash *= 16777619;
                }
            }
            Add(revision.ToString(CultureInfo.InvariantCulture));
            foreach (var (key, obj) in objects)
            {
                Add(key);
                Add(obj.ToJsonString());
            }
            return hash;
        }
    }
}
