using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Ocp4.Etcd;
using RecoveryConsole.Lab.Ocp4.Runtime;

namespace RecoveryConsole.Lab.Ocp4;

// etcd: the process in each etcd container, its data directory, membership, quorum, and the restore pod.
public sealed partial class Ocp4Cluster
{
    public const string EtcdDataDirectory = "/var/lib/etcd";
    public const string EtcdBackupDirectory = "/var/lib/etcd-backup";
    private const string DataFile = EtcdDataDirectory + "/member/snap/db";
    private const long RestoreRevisionBump = 1_000_000_000;

    private readonly HashSet<string> _mismatchLogged = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _promotionScheduled = [];

    /// <summary>etcd processes that run now: the node, its container and what member of which cluster it is.</summary>
    internal IEnumerable<(Ocp4Node Node, RuntimeContainer Container, EtcdBinding Binding)> RunningEtcd() =>
        from node in _nodes
        where node.IsUp
        from pod in node.Runtime.Pods
        where pod.Kind is PodKind.Etcd or PodKind.RestoreEtcd
        from container in pod.Containers
        where container is { Name: "etcd", IsRunning: true, Process: EtcdBinding }
        select (node, container, (EtcdBinding)container.Process!);

    internal bool IsRunning(EtcdCluster cluster, EtcdMember member) =>
        RunningEtcd().Any(r => r.Binding.Cluster == cluster && r.Binding.Member == member);

    internal bool HasQuorum(EtcdCluster cluster) => cluster.Voters.Count(m => IsRunning(cluster, m)) >= cluster.QuorumSize;

    internal int RunningVoters(EtcdCluster cluster) => cluster.Voters.Count(m => IsRunning(cluster, m));

    /// <summary>The etcd process answering on a node's client URL, if any.</summary>
    internal (Ocp4Node Node, RuntimeContainer Container, EtcdBinding Binding)? EtcdAt(string clientUrl)
    {
        foreach (var running in RunningEtcd())
        {
            if (running.Node.ClientUrl == clientUrl) return running;
        }
        return null;
    }

    /// <summary>The keyspace of a cluster: the API's when it is the live one, its frozen copy otherwise.</summary>
    internal (SortedDictionary<string, JsonObject> Objects, long Revision) KeyspaceOf(EtcdCluster cluster) =>
        cluster == LiveEtcd || cluster.FrozenData is null
            ? (Api.ExportObjects(), Api.Revision)
            : (new SortedDictionary<string, JsonObject>(cluster.FrozenData, StringComparer.Ordinal), cluster.FrozenRevision);

    internal static string ZapLog(DateTimeOffset time, string level, string caller, string message, params (string Key, object Value)[] fields)
    {
        var json = new JsonObject
        {
            ["level"] = level,
            ["ts"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["caller"] = caller,
            ["msg"] = message,
        };
        foreach (var (key, value) in fields) json[key] = JsonValue.Create(value);
        return json.ToJsonString();
    }

    // ---- the data directory ----

    internal sealed record EtcdDataMarker(ulong ClusterId, ulong MemberId, string Name);

    internal static EtcdDataMarker? ReadEtcdData(Ocp4Node node)
    {
        if (!node.Host.FileSystem.TryReadFile(DataFile, out var text)) return null;
        var match = DataMarker().Match(text);
        if (!match.Success) return null;
        return new EtcdDataMarker(
            ulong.Parse(match.Groups["cluster"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(match.Groups["member"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            match.Groups["name"].Value);
    }

    internal static void WriteEtcdData(Ocp4Node node, EtcdCluster cluster, EtcdMember member)
    {
        var files = node.Host.FileSystem;
        files.WriteFile(DataFile,
            "lab etcd backend (stands in for a bbolt database)\n" +
            $"cluster_id={cluster.IdHex} member_id={member.IdHex} name={member.Name}\n");
        files.WriteFile(EtcdDataDirectory + "/member/wal/0000000000000000-0000000000000000.wal", "lab write-ahead log\n");
    }

    [GeneratedRegex(@"cluster_id=(?<cluster>[0-9a-f]{16}) member_id=(?<member>[0-9a-f]{16}) name=(?<name>\S*)")]
    private static partial Regex DataMarker();

    // ---- the etcd process ----

    private void Bind(Ocp4Node node, RuntimeContainer container, EtcdCluster cluster, EtcdMember member)
    {
        container.Process = new EtcdBinding(cluster, member);
        member.Started = true;
        if (member.Name.Length == 0) member.Name = node.Name;
        container.Logs.Add(ZapLog(Now, "info", "etcdserver/server.go:2068", "published local member to cluster through raft",
            ("local-member-id", member.IdHex), ("local-member-attributes", $"{{Name:{member.Name} ClientURLs:[{member.ClientUrl}]}}"),
            ("cluster-id", cluster.IdHex)));
        container.Logs.Add(ZapLog(Now, "info", "embed/serve.go:250", "serving client traffic securely", ("traffic", "grpc+http"), ("address", "[::]:2379")));
    }

    /// <summary>The etcd container of a normal etcd pod starts: it rejoins with its data, or joins as a member the operator added.</summary>
    private void StartEtcdProcess(Ocp4Node node, RuntimeContainer container)
    {
        container.Logs.Add(ZapLog(Now, "info", "etcdmain/etcd.go:73", "Running: ", ("args", new[] { "etcd", "--logger=zap", "--data-dir=/var/lib/etcd" }.ToString()!)));
        var data = ReadEtcdData(node);
        if (data is not null)
        {
            var cluster = EtcdClusters.FirstOrDefault(c => c.ClusterId == data.ClusterId);
            var member = cluster?.Member(data.MemberId);
            if (cluster is null || member is null)
            {
                Crash(node, container, TimeSpan.FromSeconds(2),
                    ZapLog(Now, "warn", "etcdserver/server.go:1113", "the member has been permanently removed from the cluster",
                        ("local-member-id", EtcdMember.Hex(data.MemberId))),
                    ZapLog(Now, "fatal", "etcdmain/etcd.go:204", "discovery failed", ("error", "the member has been permanently removed from the cluster")));
                return;
            }
            Bind(node, container, cluster, member);
            return;
        }

        var live = LiveEtcd;
        var added = live?.Members.FirstOrDefault(m => m.NodeName == node.Name);
        if (live is not null && added is { Started: false } && HasQuorum(live))
        {
            added.Name = node.Name;
            WriteEtcdData(node, live, added);
            container.Logs.Add(ZapLog(Now, "info", "etcdserver/server.go:757", "starting etcd server as a new member of an existing cluster",
                ("local-member-id", added.IdHex), ("cluster-id", live.IdHex)));
            Bind(node, container, live, added);
            return;
        }
        var reason = added is { Started: true }
            ? $"member \"{node.Name}\" has already started once but its data directory {EtcdDataDirectory}/member is missing: remove the member (etcdctl member remove {added.IdHex}) so that it can be added again"
            : $"member \"{node.PeerUrl}\" not found in member list, check operator logs for possible scaling problems";
        Crash(node, container, TimeSpan.FromSeconds(30), "#### attempt 0", "      " + reason, "Error: " + reason);
    }

    /// <summary>
    /// The restore pod's etcd container: checks its directories, restores the snapshot copy into a new single-member
    /// cluster (new cluster id) and serves it. The API then serves the snapshot's objects.
    /// </summary>
    private void StartRestoreProcess(Ocp4Node node, RuntimeContainer container)
    {
        var files = node.Host.FileSystem;
        container.Logs.Add($"ETCD_NAME={node.Name}");
        container.Logs.Add($"ETCD_INITIAL_CLUSTER={node.Name}={node.PeerUrl}");
        if ((files.List(EtcdDataDirectory) ?? []).Count > 0)
        {
            Crash(node, container, TimeSpan.Zero, "please delete the contents of data directory before restoring, running the restore script will do this for you");
            return;
        }
        if (!files.TryReadFile(EtcdBackupDirectory + "/snapshot.db", out var text))
        {
            Crash(node, container, TimeSpan.Zero, "please make a copy of the snapshot db file, then move that copy to /var/lib/etcd-backup/snapshot.db");
            return;
        }
        container.Logs.Add("restoring to a single node cluster");
        var snapshot = EtcdSnapshotFile.Parse(text);
        if (snapshot is null)
        {
            Crash(node, container, TimeSpan.Zero, "Error: snapshot file integrity check failed. 1 error occurred:", "\t* snapshot file integrity check failed: hash mismatch");
            return;
        }
        if (snapshot.OpenShiftVersion != Release.Version)
        {
            // What the lab makes of the rule "use a backup of the same z-stream": the restored control plane refuses to start.
            Crash(node, container, TimeSpan.FromSeconds(1),
                ZapLog(Now, "fatal", "lab/restore.go:1", "snapshot is from another OpenShift z-stream",
                    ("snapshot-version", snapshot.OpenShiftVersion), ("cluster-version", Release.Version)),
                $"Error: the snapshot was taken on OpenShift {snapshot.OpenShiftVersion} but this control plane runs {Release.Version}: restore a backup taken on the same z-stream");
            return;
        }

        var cluster = new EtcdCluster { ClusterId = Ids.NextUInt64(), FormedAt = Now, FormedByRestore = true, RestoredOn = node.Name };
        var member = new EtcdMember { Id = Ids.NextUInt64(), Name = node.Name, NodeName = node.Name, PeerUrl = node.PeerUrl, ClientUrl = node.ClientUrl, AddedAt = Now };
        cluster.Members.Add(member);
        cluster.RaftIndexBase = snapshot.Revision;
        container.Logs.Add(ZapLog(Now, "info", "snapshot/v3_snapshot.go:260", "restoring snapshot",
            ("path", "/var/lib/etcd-backup/snapshot.db"), ("wal-dir", "/var/lib/etcd/restore/member/wal"), ("data-dir", "/var/lib/etcd/restore"),
            ("snap-dir", "/var/lib/etcd/restore/member/snap")));
        container.Logs.Add(ZapLog(Now, "info", "snapshot/v3_snapshot.go:287", "restored snapshot",
            ("path", "/var/lib/etcd-backup/snapshot.db"), ("wal-dir", "/var/lib/etcd/restore/member/wal"), ("data-dir", "/var/lib/etcd/restore"),
            ("snap-dir", "/var/lib/etcd/restore/member/snap")));

        if (LiveEtcd is { } old && old.FrozenData is null)
        {
            old.FrozenData = Api.ExportObjects();
            old.FrozenRevision = Api.Revision;
        }
        EtcdClusters.Add(cluster);
        LiveEtcd = cluster;
        MarkStaleApiServers();
        WriteEtcdData(node, cluster, member);
        files.Delete(EtcdBackupDirectory + "/snapshot.db");
        ReplaceKeyspace(snapshot.Objects, snapshot.Revision + RestoreRevisionBump);
        MarkRestored();
        Bind(node, container, cluster, member);
        cluster.LeaderId = member.Id;
    }

    // ---- membership ----

    /// <summary>MemberAdd as the etcd operator does it: a learner that is promoted once it has caught up.</summary>
    internal EtcdMember AddMember(EtcdCluster cluster, Ocp4Node node)
    {
        var member = new EtcdMember
        {
            Id = Ids.NextUInt64(),
            NodeName = node.Name,
            PeerUrl = node.PeerUrl,
            ClientUrl = node.ClientUrl,
            IsLearner = true,
            AddedAt = Now,
        };
        cluster.Members.Add(member);
        return member;
    }

    /// <summary>MemberRemove; returns an etcd error text, or null when removed. The removed member's process stops.</summary>
    internal string? RemoveMember(EtcdCluster cluster, ulong id)
    {
        if (!HasQuorum(cluster)) return "context deadline exceeded";
        var member = cluster.Member(id);
        if (member is null) return "etcdserver: member not found";
        cluster.Members.Remove(member);
        if (cluster.LeaderId == member.Id)
        {
            cluster.LeaderId = 0;
            cluster.RaftTerm++;
        }
        foreach (var running in RunningEtcd().Where(r => r.Binding.Member == member).ToList())
        {
            Crash(running.Node, running.Container, TimeSpan.FromSeconds(1),
                ZapLog(Now, "warn", "etcdserver/server.go:1113", "the member has been permanently removed from the cluster", ("local-member-id", member.IdHex)));
        }
        return null;
    }

    /// <summary>Leaders, learner promotion, and the complaints of members left in an old cluster after a restore.</summary>
    private bool ReconcileEtcd()
    {
        var changed = false;
        foreach (var cluster in EtcdClusters)
        {
            var running = cluster.Voters.Where(m => IsRunning(cluster, m)).OrderBy(m => m.AddedAt).ThenBy(m => m.Id).ToList();
            if (!HasQuorum(cluster))
            {
                if (cluster.LeaderId != 0)
                {
                    cluster.LeaderId = 0;
                    changed = true;
                }
            }
            else if (running.All(m => m.Id != cluster.LeaderId))
            {
                cluster.LeaderId = running[0].Id;
                cluster.RaftTerm++;
                changed = true;
            }

            foreach (var learner in cluster.Members.Where(m => m.IsLearner && m.Started && IsRunning(cluster, m)))
            {
                if (!_promotionScheduled.Add(learner.Id)) continue;
                var (c, l) = (cluster, learner);
                At(TimeSpan.FromSeconds(10), "promote learner", _ =>
                {
                    _promotionScheduled.Remove(l.Id);
                    if (c.Members.Contains(l) && IsRunning(c, l) && HasQuorum(c)) l.IsLearner = false;
                });
                changed = true;
            }
        }

        if (LiveEtcd is { } live)
        {
            foreach (var (node, container, binding) in RunningEtcd().Where(r => r.Binding.Cluster != live).ToList())
            {
                if (!_mismatchLogged.Add(container.Id + "/" + live.IdHex)) continue;
                var newMember = live.Members.FirstOrDefault(m => IsRunning(live, m));
                container.Logs.Add(ZapLog(Now, "warn", "rafthttp/http.go:500", "request cluster ID mismatch",
                    ("local-member-id", binding.Member.IdHex), ("local-member-cluster-id", binding.Cluster.IdHex),
                    ("remote-peer-id", newMember?.IdHex ?? "0000000000000000"), ("remote-peer-cluster-id", live.IdHex)));
                foreach (var liveProcess in RunningEtcd().Where(r => r.Binding.Cluster == live))
                {
                    liveProcess.Container.Logs.Add(ZapLog(Now, "warn", "rafthttp/http.go:500", "request cluster ID mismatch",
                        ("local-member-id", liveProcess.Binding.Member.IdHex), ("local-member-cluster-id", live.IdHex),
                        ("remote-peer-id", binding.Member.IdHex), ("remote-peer-cluster-id", binding.Cluster.IdHex), ("remote-peer-name", node.Name)));
                }
                changed = true;
            }
        }
        return changed;
    }
}
