using System.Globalization;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Ocp4.Etcd;

/// <summary>A member of an etcd cluster as <c>etcdctl member list</c> shows it. Ids are full 64-bit values.</summary>
public sealed class EtcdMember
{
    public required ulong Id { get; init; }

    /// <summary>Empty until the member has started (an "unstarted" member added by the operator).</summary>
    public string Name { get; set; } = "";
    public required string NodeName { get; init; }
    public required string PeerUrl { get; init; }
    public required string ClientUrl { get; init; }
    public bool IsLearner { get; set; }
    public bool Started { get; set; }
    public DateTimeOffset AddedAt { get; init; }

    public string IdHex => Hex(Id);

    public static string Hex(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);
}

/// <summary>
/// One etcd cluster: its id, members and, while it is not the cluster the API serves, a frozen copy of its keyspace.
/// A restore creates a new one (new cluster id, one member); the old one lives on in any member left running.
/// </summary>
public sealed class EtcdCluster
{
    public required ulong ClusterId { get; init; }
    public List<EtcdMember> Members { get; } = [];
    public DateTimeOffset FormedAt { get; init; }

    /// <summary>True for a cluster created by restoring a snapshot (cluster-restore.sh).</summary>
    public bool FormedByRestore { get; init; }

    /// <summary>The node a restore ran on.</summary>
    public string? RestoredOn { get; init; }

    public long RaftTerm { get; set; } = 2;
    public ulong LeaderId { get; set; }
    public long RaftIndexBase { get; set; }

    /// <summary>The keyspace when this cluster is not the one behind the API (null while it is).</summary>
    internal SortedDictionary<string, JsonObject>? FrozenData { get; set; }
    internal long FrozenRevision { get; set; }

    public string IdHex => EtcdMember.Hex(ClusterId);

    public IEnumerable<EtcdMember> Voters => Members.Where(m => !m.IsLearner);

    public int QuorumSize => Voters.Count() / 2 + 1;

    public EtcdMember? Member(ulong id) => Members.FirstOrDefault(m => m.Id == id);
}

/// <summary>What the etcd process of a container runs as: a member of a cluster.</summary>
internal sealed record EtcdBinding(EtcdCluster Cluster, EtcdMember Member);
