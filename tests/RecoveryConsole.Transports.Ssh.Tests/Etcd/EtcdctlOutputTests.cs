using RecoveryConsole.Transports.Ssh.Etcd;

namespace RecoveryConsole.Transports.Ssh.Tests.Etcd;

/// <summary>Shapes captured from etcdctl 3.4.23 (Debian's etcd-client).</summary>
public sealed class EtcdctlOutputTests
{
    [Fact]
    public void Snapshot_status()
    {
        var status = EtcdctlOutput.ParseSnapshotStatus("""{"hash":2394040127,"revision":2,"totalKey":5,"totalSize":24576}""");

        Assert.Equal(new SnapshotStatus(2394040127, 2, 5, 24576), status);
    }

    [Fact]
    public void Member_list_ids_above_two_to_the_53_are_exact()
    {
        var list = EtcdctlOutput.ParseMemberList("""
            {"header":{"cluster_id":15118495548433857066,"member_id":13668033151171901709,"raft_term":2},
             "members":[{"ID":13668033151171901709,"name":"a","peerURLs":["http://127.0.0.1:23801"],"clientURLs":["http://127.0.0.1:23791"]},
                        {"ID":9372538179322589801,"peerURLs":["https://10.0.0.7:2380"],"isLearner":true}]}
            """);

        Assert.Equal(15118495548433857066UL, list.Header.ClusterId);
        Assert.Equal(13668033151171901709UL, list.Members[0].Id);
        Assert.Equal("bdae9bbc11dd390d", list.Members[0].HexId);
        Assert.Equal(["http://127.0.0.1:23801"], list.Members[0].PeerUrls);
        Assert.Equal("", list.Members[1].Name); // added, not started yet
        Assert.True(list.Members[1].IsLearner);
        Assert.Empty(list.Members[1].ClientUrls);
        Assert.Equal(13668033151171901709UL, EtcdctlOutput.ParseMemberId("bdae9bbc11dd390d"));
    }

    [Fact]
    public void Endpoint_health_healthy_and_not()
    {
        var health = EtcdctlOutput.ParseEndpointHealth("""
            [{"endpoint":"http://127.0.0.1:23791","health":true,"took":"1.684591ms"},
             {"endpoint":"http://127.0.0.1:23799","health":false,"took":"5.001045235s","error":"context deadline exceeded"}]
            """);

        Assert.Equal(new EndpointHealth("http://127.0.0.1:23791", true, "1.684591ms", null), health[0]);
        Assert.Equal(new EndpointHealth("http://127.0.0.1:23799", false, "5.001045235s", "context deadline exceeded"), health[1]);
    }

    [Fact]
    public void Endpoint_status_knows_the_leader()
    {
        var status = Assert.Single(EtcdctlOutput.ParseEndpointStatus("""
            [{"Endpoint":"http://127.0.0.1:23791","Status":{"header":{"cluster_id":15118495548433857066,"member_id":13668033151171901709,"revision":2,"raft_term":2},
              "version":"3.4.23","dbSize":24576,"leader":13668033151171901709,"raftIndex":5,"raftTerm":2,"raftAppliedIndex":5,"dbSizeInUse":16384}}]
            """));

        Assert.True(status.IsLeader);
        Assert.Equal("3.4.23", status.Version);
        Assert.Equal(2, status.Header.Revision);
    }

    [Fact]
    public void Member_removed_ids_are_padded_to_16_with_spaces()
    {
        // Captured: an ID whose first nibble is 0 prints with a leading space ("%16x").
        var (member, cluster) = EtcdctlOutput.ParseMemberRemoved("Member  3fc044461820f18 removed from cluster d1d8a2f1a8b0d4e1\n");

        Assert.Equal(0x3fc044461820f18UL, member);
        Assert.Equal(0xd1d8a2f1a8b0d4e1UL, cluster);
        Assert.Throws<FormatException>(() => EtcdctlOutput.ParseMemberRemoved("Error: member not found"));
    }

    [Fact]
    public void Log_lines_around_the_json_are_ignored()
    {
        var status = EtcdctlOutput.ParseSnapshotStatus("""
            {"level":"info","msg":"something"}
            {"hash":1,"revision":2,"totalKey":3,"totalSize":4}
            """);

        Assert.Equal(new SnapshotStatus(1, 2, 3, 4), status);
    }

    [Fact]
    public void A_missing_field_fails_loudly_naming_it()
    {
        var e = Assert.Throws<FormatException>(() => EtcdctlOutput.ParseSnapshotStatus("""{"hash":1,"revision":2,"totalKey":3}"""));
        Assert.Contains("'totalSize'", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => EtcdctlOutput.ParseMemberList("Error: context deadline exceeded"));
    }
}
