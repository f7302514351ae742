using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Transports.Ssh.Etcd;

/// <summary><c>etcdctl snapshot status -w json</c>: the snapshot's integrity hash and what it holds.</summary>
public sealed record SnapshotStatus(ulong Hash, long Revision, long TotalKey, long TotalSize);

/// <summary>Header of an etcd response: which cluster and member answered. IDs are uint64 (above 2^53: never a double).</summary>
public sealed record EtcdHeader(ulong ClusterId, ulong MemberId, ulong RaftTerm, long Revision);

/// <summary>One member from <c>etcdctl member list -w json</c>. <see cref="Name"/> is empty for a member added but not yet started.</summary>
public sealed record EtcdMember(ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner)
{
    /// <summary>The ID as etcdctl prints it in tables and expects it in <c>member remove</c>: lowercase hex.</summary>
    public string HexId => EtcdctlOutput.FormatMemberId(Id);
}

public sealed record EtcdMemberList(EtcdHeader Header, IReadOnlyList<EtcdMember> Members);

/// <summary>One endpoint from <c>etcdctl endpoint health -w json</c>.</summary>
public sealed record EndpointHealth(string Endpoint, bool Health, string Took, string? Error);

/// <summary>One endpoint from <c>etcdctl endpoint status -w json</c>.</summary>
public sealed record EndpointStatus(string Endpoint, EtcdHeader Header, string Version, long DbSize, ulong Leader, ulong RaftIndex, ulong RaftTerm)
{
    public bool IsLeader => Leader != 0 && Leader == Header.MemberId;
}

/// <summary>
/// Parsers for etcdctl's JSON output (etcd 3.4 and 3.5 print the same shapes). Procedures use them to check a backup
/// and to find the member to remove. Unknown fields are ignored; missing required ones throw <see cref="FormatException"/>
/// naming the field, so a changed etcdctl fails loudly instead of reading zeros.
/// </summary>
public static partial class EtcdctlOutput
{
    public static SnapshotStatus ParseSnapshotStatus(string json)
    {
        var root = Parse(json, "snapshot status");
        return new SnapshotStatus(U64(root, "hash"), I64(root, "revision"), I64(root, "totalKey"), I64(root, "totalSize"));
    }

    public static EtcdMemberList ParseMemberList(string json)
    {
        var root = Parse(json, "member list");
        var members = new List<EtcdMember>();
        if (root.TryGetProperty("members", out var list))
            foreach (var m in list.EnumerateArray())
                members.Add(new EtcdMember(U64(m, "ID"), Str(m, "name") ?? "", Strings(m, "peerURLs"), Strings(m, "clientURLs"),
                    m.TryGetProperty("isLearner", out var learner) && learner.ValueKind == JsonValueKind.True));
        return new EtcdMemberList(Header(root), members);
    }

    public static IReadOnlyList<EndpointHealth> ParseEndpointHealth(string json)
    {
        var root = Parse(json, "endpoint health");
        return root.EnumerateArray()
            .Select(e => new EndpointHealth(Str(e, "endpoint") ?? throw Missing("endpoint"), e.TryGetProperty("health", out var h) && h.ValueKind == JsonValueKind.True,
                Str(e, "took") ?? "", Str(e, "error")))
            .ToList();
    }

    public static IReadOnlyList<EndpointStatus> ParseEndpointStatus(string json)
    {
        var root = Parse(json, "endpoint status");
        return root.EnumerateArray()
            .Select(e =>
            {
                var status = e.GetProperty("Status");
                return new EndpointStatus(Str(e, "Endpoint") ?? throw Missing("Endpoint"), Header(status), Str(status, "version") ?? "",
                    I64(status, "dbSize"), U64(status, "leader"), U64(status, "raftIndex"), U64(status, "raftTerm"));
            })
            .ToList();
    }

    /// <summary>
    /// <c>etcdctl member remove</c>'s confirmation, <c>Member %16x removed from cluster %16x</c>: the IDs are
    /// space-padded to 16 characters, so an ID with a leading zero nibble prints with a leading space.
    /// </summary>
    public static (ulong MemberId, ulong ClusterId) ParseMemberRemoved(string output)
    {
        var m = MemberRemoved().Match(output ?? "");
        if (!m.Success) throw new FormatException($"'{output?.Trim()}' is not etcdctl's 'Member <id> removed from cluster <id>' line.");
        return (ParseMemberId(m.Groups["member"].Value), ParseMemberId(m.Groups["cluster"].Value));
    }

    [GeneratedRegex(@"Member\s+(?<member>[0-9a-f]{1,16}) removed from cluster\s+(?<cluster>[0-9a-f]{1,16})")]
    private static partial Regex MemberRemoved();

    public static string FormatMemberId(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);

    public static ulong ParseMemberId(string hex) => ulong.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static EtcdHeader Header(JsonElement parent)
    {
        if (!parent.TryGetProperty("header", out var h)) throw Missing("header");
        return new EtcdHeader(U64(h, "cluster_id"), U64(h, "member_id"), U64(h, "raft_term"), h.TryGetProperty("revision", out _) ? I64(h, "revision") : 0);
    }

    /// <summary>
    /// The JSON document. etcdctl logs to stderr, but a caller may hand over combined output: then the document is
    /// the last line that is JSON and not a log record.
    /// </summary>
    private static JsonElement Parse(string output, string what)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (TryParse(output.Trim(), out var whole)) return whole;
        foreach (var line in output.Split('\n').Select(l => l.Trim()).Reverse())
            if (line.Length > 0 && line[0] is ('{' or '[') && !line.Contains("\"level\":", StringComparison.Ordinal) && TryParse(line, out var found))
                return found;
        var first = output.Trim().Split('\n')[0];
        throw new FormatException($"etcdctl {what} printed no JSON document (it printed: {(first.Length > 200 ? first[..200] + "..." : first)}).");
    }

    private static bool TryParse(string text, out JsonElement root)
    {
        root = default;
        if (text.Length == 0 || text[0] is not ('{' or '[')) return false;
        try
        {
            using var doc = JsonDocument.Parse(text);
            root = doc.RootElement.Clone();
            return true;
        }
        catch (JsonException) { return false; }
    }

    // Go prints uint64 as exact decimal integers; GetUInt64 reads the digits, never through a double.
    private static ulong U64(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ? n : throw Missing(name);

    private static long I64(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Missing(name);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(s => s.GetString() ?? "").ToList() : [];

    private static FormatException Missing(string field) => new($"etcdctl JSON output lacks the field '{field}' (or it is not a number).");
}
