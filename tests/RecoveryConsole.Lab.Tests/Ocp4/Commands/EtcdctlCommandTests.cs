using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

[Trait("Category", "Lab")]
public sealed class EtcdctlCommandTests
{
    private readonly Ocp4Harness _lab = new();

    [Fact]
    public async Task Member_list_json_carries_uint64_ids_in_decimal_that_match_the_hex_of_the_table()
    {
        var json = Assert.Single(await _lab.MustAsync("master-0", "etcdctl member list -w json"));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.True(root.GetProperty("header").GetProperty("cluster_id").TryGetUInt64(out var clusterId));
        Assert.True(root.GetProperty("header").GetProperty("member_id").TryGetUInt64(out _));
        Assert.True(root.GetProperty("header").GetProperty("raft_term").GetInt64() > 0);
        var ids = root.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("ID").GetUInt64()).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Contains(ids.Append(clusterId), id => id > (1UL << 53)); // a double would lose these: parse as ulong
        Assert.All(root.GetProperty("members").EnumerateArray(), m =>
        {
            Assert.StartsWith("master-", m.GetProperty("name").GetString());
            Assert.Matches(@"^https://192\.0\.2\.1[0-2]:2380$", m.GetProperty("peerURLs")[0].GetString());
            Assert.Matches(@"^https://192\.0\.2\.1[0-2]:2379$", m.GetProperty("clientURLs")[0].GetString());
        });

        var table = await _lab.MustAsync("master-0", "etcdctl member list -w table");
        Assert.Equal("|        ID        | STATUS  |   NAME   |       PEER ADDRS        |      CLIENT ADDRS       | IS LEARNER |", table[1]);
        Assert.Equal(table[0], table[2]);
        Assert.Equal(table[0], table[^1]);
        var hex = table.Skip(3).SkipLast(1).Select(l => l.Split('|')[1].Trim()).ToList();
        Assert.Equal(ids.Select(id => id.ToString("x16", CultureInfo.InvariantCulture)).Order(), hex.Order());
        Assert.All(table.Skip(3).SkipLast(1), l => Assert.EndsWith("|      false |", l));
    }

    [Fact]
    public async Task Endpoint_health_and_status_json_have_the_etcd_shapes_and_one_leader()
    {
        var health = JsonNode.Parse(Assert.Single(await _lab.MustAsync("master-1", "etcdctl endpoint health -w json")))!.AsArray();
        Assert.Equal(3, health.Count);
        Assert.All(health, h =>
        {
            Assert.Matches(@"^https://192\.0\.2\.1[0-2]:2379$", (string)h!["endpoint"]!);
            Assert.True((bool)h["health"]!);
            Assert.Matches(@"^\d+\.\d+ms$", (string)h["took"]!);
        });

        var status = JsonNode.Parse(Assert.Single(await _lab.MustAsync("master-1", "etcdctl endpoint status -w json")))!.AsArray();
        Assert.Equal(3, status.Count);
        var leaders = status.Where(s => JsonNumber(s!["Status"]!["leader"]) == JsonNumber(s!["Status"]!["header"]!["member_id"])).ToList();
        Assert.Single(leaders);
        Assert.All(status, s =>
        {
            var st = s!["Status"]!;
            Assert.Equal("3.5.14", (string?)st["version"]);
            Assert.True(JsonNumber(st["dbSize"]) > 0);
            Assert.True(JsonNumber(st["header"]!["revision"]) > 0);
            Assert.Equal(JsonNumber(st["raftTerm"]), JsonNumber(st["header"]!["raft_term"]));
        });
        Assert.Single(status.Select(s => JsonNumber(s!["Status"]!["header"]!["cluster_id"])).Distinct());
    }

    private static ulong JsonNumber(JsonNode? node) => ulong.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_unhealthy_cluster_exits_1_with_error_unhealthy_cluster()
    {
        _lab.Model.LoseHost("master-2");
        var (code, stdout, stderr) = await _lab.RunAsync("master-0", "etcdctl endpoint health");
        Assert.Equal(1, code);
        Assert.Equal(2, stdout.Count(l => Regex.IsMatch(l, @"^https://192\.0\.2\.1[01]:2379 is healthy: successfully committed proposal: took = \d+\.\d+ms$")));
        Assert.Contains("https://192.0.2.12:2379 is unhealthy: failed to commit proposal: context deadline exceeded", stderr);
        Assert.Equal("Error: unhealthy cluster", stderr[^1]);

        var (statusCode, statusOut, statusErr) = await _lab.RunAsync("master-0", "etcdctl endpoint status -w json");
        Assert.Equal(1, statusCode);
        Assert.Equal(2, JsonNode.Parse(statusOut.Single())!.AsArray().Count);
        Assert.Contains("Failed to get the status of endpoint https://192.0.2.12:2379 (context deadline exceeded)", statusErr);
    }

    [Fact]
    public async Task Member_remove_prints_the_hex_ids_and_the_removed_member_stops()
    {
        var table = await _lab.MustAsync("master-0", "etcdctl member list -w table");
        var master2 = table.Single(l => l.Contains("master-2", StringComparison.Ordinal)).Split('|')[1].Trim();
        var cluster = _lab.Model.LiveEtcd!.IdHex;

        var output = await _lab.MustAsync("master-0", $"etcdctl member remove {master2}");
        Assert.Equal([$"Member {master2} removed from cluster {cluster}"], output);
        Assert.Equal(2, (await _lab.MustAsync("master-0", "etcdctl member list")).Count);
        _lab.Pass(TimeSpan.FromSeconds(5));
        Assert.Contains("has 2 member(s)", _lab.Health().Of("etcd-member-count").Single().Message);
        Assert.Empty(await _lab.MustAsync("master-2", "sudo crictl ps --name '^etcd$' -q")); // "the member has been permanently removed"
        var logs = (await _lab.RunAsync("master-2", "sudo crictl ps -a --name '^etcd$' -q | head -n 1")).Out.Single();
        Assert.Contains((await _lab.RunAsync("master-2", $"sudo crictl logs {logs}")).Err, l => l.Contains("the member has been permanently removed from the cluster", StringComparison.Ordinal));
        var (code, _, stderr) = await _lab.RunAsync("master-0", $"etcdctl member remove {master2}");
        Assert.Equal((1, "Error: etcdserver: member not found"), (code, stderr.Single()));
        (code, _, stderr) = await _lab.RunAsync("master-0", "etcdctl member remove not-hex");
        Assert.Equal(128, code);
        Assert.Equal("Error: bad member ID arg (strconv.ParseUint: parsing \"not-hex\": invalid syntax), expecting ID in Hex", stderr.Single());
    }

    [Fact]
    public async Task Etcdctl_runs_inside_the_etcdctl_container_through_crictl_exec_and_through_pods_exec()
    {
        var id = Assert.Single(await _lab.MustAsync("master-2", "sudo crictl ps --label io.kubernetes.container.name=etcdctl -q"));
        var viaCrictl = await _lab.MustAsync("master-2", $"sudo crictl exec -it {id} etcdctl member list -w table");
        Assert.Equal(7, viaCrictl.Count);
        var viaShell = await _lab.MustAsync("master-2", $"sudo crictl exec {id} /bin/sh -c \"etcdctl endpoint health --cluster\"");
        Assert.Equal(3, viaShell.Count(l => l.EndsWith("ms", StringComparison.Ordinal) && l.Contains(" is healthy: ", StringComparison.Ordinal)));

        // oc rsh -n openshift-etcd etcd-master-2 / oc exec: the lab API's exec runs in the pod's node.
        _lab.Cluster.Api.ExecHandler = RecoveryConsole.Lab.Api.LabExecHandlers.NodeShell(_lab.Cluster.Transport, _lab.Cluster.Info.FindHost);
        var request = _lab.Cluster.Api.PrepareExec("/api/v1/namespaces/openshift-etcd/pods/etcd-master-2/exec?container=etcdctl&command=etcdctl&command=member&command=list&stdout=true");
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var code = await _lab.Cluster.Api.ExecHandler(request, new RecoveryConsole.Lab.Api.LabExecStreams(Stream.Null, stdout, stderr), CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Equal(3, System.Text.Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Snapshot_save_needs_one_endpoint_and_snapshot_status_reads_what_it_saved()
    {
        var (code, _, stderr) = await _lab.RunAsync("master-0", "etcdctl snapshot save /home/core/snap.db");
        Assert.Equal(128, code);
        Assert.StartsWith("Error: snapshot must be requested to one selected node, not multiple", stderr.Single());

        var saved = await _lab.MustAsync("master-0", "etcdctl --endpoints=https://192.0.2.10:2379 snapshot save /home/core/snap.db");
        Assert.Equal(["Snapshot saved at /home/core/snap.db"], saved);
        var (_, json, deprecation) = await _lab.RunAsync("master-0", "etcdctl snapshot status /home/core/snap.db -w json");
        Assert.Equal("Deprecated: Use `etcdutl snapshot status` instead.", deprecation[0]);
        var status = JsonNode.Parse(json.Single())!.AsObject();
        Assert.Equal(["hash", "revision", "totalKey", "totalSize"], status.Select(p => p.Key).ToList());
        Assert.Equal(_lab.Model.Api.Revision, (long)status["revision"]!);

        var table = await _lab.MustAsync("master-0", "etcdutl snapshot status /home/core/snap.db -w table");
        // %x of the hash has no leading zeros, so the column is as wide as this snapshot's hash needs.
        Assert.Matches(@"^\| +HASH +\| REVISION \| TOTAL KEYS \| TOTAL SIZE \|$", table[1]);
        Assert.Matches(@"^\| [0-9a-f]{1,8} \| +\d+ \| +\d+ \| \d+ MB +\|$", table[3]);
    }
}
