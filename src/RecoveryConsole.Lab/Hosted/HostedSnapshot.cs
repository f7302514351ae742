using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Hosted;

/// <summary>
/// An etcd snapshot of a hosted cluster as a self-describing text file (stands in for a bbolt database): the keys and
/// the revision. A raw copy of <c>member/snap/db</c> has no integrity hash (etcdutl needs --skip-hash-check).
/// </summary>
internal sealed record HostedSnapshot(SortedDictionary<string, JsonObject> Objects, long Revision, bool Raw)
{
    public const string Header = "# RecoveryConsole lab etcd snapshot (stands in for a bbolt database file)";

    public string Hash => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Body())))[..8].ToLowerInvariant();

    public int TotalKeys => Objects.Count + 1;

    public long TotalSize => 24_576_000 + Objects.Values.Sum(o => (long)o.ToJsonString().Length) * 24 / 4096 * 4096;

    private string Body()
    {
        var objects = new JsonObject();
        foreach (var (key, obj) in Objects) objects[key] = obj.DeepClone();
        return objects.ToJsonString();
    }

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(Header).Append('\n');
        sb.Append("revision: ").Append(Revision.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("hash: ").Append(Raw ? "none" : Hash).Append('\n');
        sb.Append(Body()).Append('\n');
        return sb.ToString();
    }

    public static HostedSnapshot? Parse(string? text)
    {
        if (text is null || !text.StartsWith(Header, StringComparison.Ordinal)) return null;
        var lines = text.Split('\n');
        if (lines.Length < 4) return null;
        try
        {
            var revision = long.Parse(lines[1]["revision: ".Length..], CultureInfo.InvariantCulture);
            var hash = lines[2]["hash: ".Length..];
            var objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var (key, value) in (JsonObject)JsonNode.Parse(lines[3])!) objects[key] = (JsonObject)value!.DeepClone();
            return new HostedSnapshot(objects, revision, hash == "none");
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidCastException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
