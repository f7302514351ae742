using RecoveryConsole.Transports.Ssh.Etcd;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Etcd;

/// <summary>The etcdctl commands of the backup and restore procedures, sent over SSH to a real etcd 3.4 cluster.</summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Etcd")]
public sealed class EtcdThroughSshTests(EtcdFixture fixture)
{
    [Fact]
    public async Task Put_and_get()
    {
        var endpoints = fixture.Cluster.Endpoints;

        Assert.Equal("OK", await fixture.EtcdctlAsync(endpoints, "put", "/rc/greeting", "hello über etcd"));

        Assert.Equal("/rc/greeting\nhello über etcd", await fixture.EtcdctlAsync(endpoints, "get", "/rc/greeting"));
    }

    [Fact]
    public async Task Member_list_reads_uint64_ids_names_and_urls()
    {
        var list = EtcdctlOutput.ParseMemberList(await fixture.EtcdctlAsync(fixture.Cluster.Endpoints, "member", "list", "-w", "json"));
        var simple = await fixture.EtcdctlAsync(fixture.Cluster.Endpoints, "member", "list", "-w", "simple");

        Assert.Equal(["m1", "m2", "m3"], list.Members.Select(m => m.Name).Order());
        foreach (var member in fixture.Cluster.Members)
            Assert.Equal([member.PeerUrl], list.Members.Single(m => m.Name == member.Name).PeerUrls);
        // The table prints the same IDs in hex: the JSON's decimal uint64 was read exactly.
        var hexIds = simple.Split('\n').Select(l => l.Split(',')[0].Trim()).Order().ToList();
        Assert.Equal(hexIds, list.Members.Select(m => m.HexId).Order().ToList());
        Assert.NotEqual(0UL, list.Header.ClusterId);
    }

    [Fact]
    public async Task Endpoint_health_of_every_member()
    {
        var health = EtcdctlOutput.ParseEndpointHealth(await fixture.EtcdctlAsync(fixture.Cluster.Endpoints, "endpoint", "health", "-w", "json"));

        Assert.Equal(fixture.Cluster.Members.Select(m => m.ClientUrl).Order(), health.Select(h => h.Endpoint).Order());
        Assert.All(health, h => Assert.True(h.Health, h.Error));
    }

    [Fact]
    public async Task Unhealthy_endpoint_is_exit_1_with_the_json_still_readable()
    {
        var sink = new CollectingSink();
        var closed = $"http://127.0.0.1:{SshdServer.FreePort()}";

        var exit = await fixture.Transport.RunAsync(fixture.Host,
            $"ETCDCTL_API=3 etcdctl --endpoints {closed} --command-timeout 2s endpoint health -w json", sink, CancellationToken.None);

        Assert.Equal(1, exit);
        var health = Assert.Single(EtcdctlOutput.ParseEndpointHealth(string.Join('\n', sink.Stdout)));
        Assert.False(health.Health);
        Assert.Contains("Error: unhealthy cluster", sink.Stderr);
    }

    [Fact]
    public async Task Snapshot_remove_a_member_restore_and_read_back()
    {
        // A cluster of its own: this test removes a member.
        using var cluster = await EtcdCluster.StartAsync(3, "rc-restore-" + Guid.NewGuid().ToString("N")[..6]);
        var endpoints = cluster.Endpoints;
        var work = Path.Combine(cluster.Directory, "work");
        Directory.CreateDirectory(work);
        for (var i = 1; i <= 20; i++) await fixture.EtcdctlAsync(endpoints, "put", $"/before/{i:D2}", $"value {i}");

        // Backup, as cluster-backup.sh does it: snapshot save, then snapshot status -w json.
        var snapshot = Path.Combine(work, "snapshot_2026-11-22_030000.db");
        await fixture.EtcdctlAsync(cluster.Members[0].ClientUrl, "snapshot", "save", snapshot);
        var status = EtcdctlOutput.ParseSnapshotStatus(await fixture.EtcdctlAsync(endpoints, "snapshot", "status", snapshot, "-w", "json"));
        Assert.True(status.TotalKey >= 20, $"snapshot holds {status.TotalKey} keys");
        Assert.True(status.Revision >= 21, $"snapshot revision {status.Revision}");
        Assert.True(status.TotalSize > 0);
        Assert.NotEqual(0UL, status.Hash);

        await fixture.EtcdctlAsync(endpoints, "put", "/after/snapshot", "must not come back");

        // Remove a member by the hex ID read from member list.
        var members = EtcdctlOutput.ParseMemberList(await fixture.EtcdctlAsync(endpoints, "member", "list", "-w", "json"));
        var leaving = members.Members.Single(m => m.Name == "m3");
        var removed = await fixture.EtcdctlReconfigureAsync(cluster.Members[0].ClientUrl, "member", "remove", leaving.HexId);
        Assert.Equal(leaving.Id, EtcdctlOutput.ParseMemberRemoved(removed).MemberId);
        Assert.Equal(members.Header.ClusterId, EtcdctlOutput.ParseMemberRemoved(removed).ClusterId);
        var remaining = EtcdctlOutput.ParseMemberList(await fixture.EtcdctlAsync(cluster.Members[0].ClientUrl, "member", "list", "-w", "json"));
        Assert.Equal(["m1", "m2"], remaining.Members.Select(m => m.Name).Order());

        // Restore into a new data directory, start a single member from it.
        var restored = Path.Combine(work, "restored-data");
        var peer = SshdServer.FreePort();
        var peerUrl = $"http://127.0.0.1:{peer}";
        await fixture.EtcdctlAsync(endpoints, "snapshot", "restore", snapshot, "--name", "r1", "--initial-cluster", $"r1={peerUrl}",
            "--initial-cluster-token", "restored", "--initial-advertise-peer-urls", peerUrl, "--data-dir", restored);
        var member = await cluster.StartRestoredAsync("r1", restored, peer);

        var before = await fixture.EtcdctlAsync(member.ClientUrl, "get", "/before/", "--prefix", "--keys-only");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"/before/{i:D2}"), before.Split('\n').Where(l => l.Length > 0));
        Assert.Equal("/before/07\nvalue 7", await fixture.EtcdctlAsync(member.ClientUrl, "get", "/before/07"));
        Assert.Equal("", await fixture.EtcdctlAsync(member.ClientUrl, "get", "/after/snapshot"));
        var restoredMembers = EtcdctlOutput.ParseMemberList(await fixture.EtcdctlAsync(member.ClientUrl, "member", "list", "-w", "json"));
        Assert.Equal("r1", Assert.Single(restoredMembers.Members).Name);
    }

    [Fact]
    public async Task Restoring_into_a_non_empty_data_directory_fails_with_etcdctls_message()
    {
        var dir = Path.Combine(fixture.Cluster.Directory, "not-empty-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(dir, "member"));
        var snapshot = Path.Combine(fixture.Cluster.Directory, "s-" + Guid.NewGuid().ToString("N")[..6] + ".db");
        await fixture.EtcdctlAsync(fixture.Cluster.Members[0].ClientUrl, "snapshot", "save", snapshot);
        var sink = new CollectingSink();

        var exit = await fixture.Transport.RunAsync(fixture.Host,
            $"ETCDCTL_API=3 etcdctl snapshot restore {snapshot} --name x --initial-cluster x=http://127.0.0.1:1 --initial-advertise-peer-urls http://127.0.0.1:1 --data-dir {dir}",
            sink, CancellationToken.None);

        Assert.NotEqual(0, exit);
        // etcd 3.4 says 'data-dir "<d>" exists'; 3.5's etcdutl 'data-dir "<d>" not empty or could not be read'.
        Assert.Contains(sink.Stderr, l => l.StartsWith($"Error: data-dir \"{dir}\"", StringComparison.Ordinal));
    }
}
