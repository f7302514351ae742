using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

[Trait("Category", "Lab")]
public sealed partial class CrictlCommandTests
{
    private readonly Ocp4Harness _lab = new();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex FullId();

    /// <summary>Column start offsets from the header, as a reader of tabwriter output finds them.</summary>
    private static List<int> ColumnStarts(string header) => Regex.Matches(header, @"\S+(?: \S+)*").Select(m => m.Index).ToList();

    [Fact]
    public async Task Ps_prints_the_cri_tools_table_with_13_character_ids_and_20_wide_columns()
    {
        var lines = await _lab.MustAsync("master-0", "sudo crictl ps");

        string[] columns = ["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"];
        Assert.Equal(columns, Regex.Split(lines[0].Trim(), " {2,}"));
        var starts = ColumnStarts(lines[0]);
        Assert.Equal(0, starts[0]);
        Assert.Equal(20, starts[1]); // CONTAINER cells are 13 characters: the minimum width 20 applies
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.Second - p.First >= 20));
        var etcd = lines.Single(l => l[starts[4]..].StartsWith("etcd ", StringComparison.Ordinal));
        Assert.Matches("^[0-9a-f]{13} {7}[0-9a-f]{64}   ", etcd);
        Assert.Equal("3 days ago", etcd[starts[2]..starts[3]].Trim());
        Assert.Equal("Running", etcd[starts[3]..starts[4]].Trim());
        Assert.Equal("0", etcd[starts[5]..starts[6]].Trim());
        Assert.Equal("etcd-master-0", etcd[starts[7]..]);
        Assert.All(lines.Skip(1), l => Assert.Equal(' ', l[starts[1] - 1]));
    }

    [Fact]
    public async Task From_4_19_ps_adds_the_namespace_column()
    {
        var lab = new Ocp4Harness(version: "4.19.3");
        var header = (await lab.MustAsync("master-0", "sudo crictl ps"))[0];
        Assert.Equal(["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"], Regex.Split(header.Trim(), " {2,}"));
    }

    [Fact]
    public async Task Quiet_lists_full_ids_and_the_label_filter_selects_one_container()
    {
        var all = await _lab.MustAsync("master-0", "sudo crictl ps -q");
        Assert.All(all, id => Assert.Matches(FullId(), id));
        var table = await _lab.MustAsync("master-0", "sudo crictl ps");
        Assert.Equal(table.Count - 1, all.Count);

        var etcd = Assert.Single(await _lab.MustAsync("master-0", "sudo crictl ps --label io.kubernetes.container.name=etcd -q"));
        Assert.StartsWith(table.Single(l => Regex.IsMatch(l, @"\setcd\s+0\s")).Split(' ')[0], etcd);
        Assert.Empty(await _lab.MustAsync("master-0", "sudo crictl ps --label io.kubernetes.container.name=no-such-container -q"));
    }

    [Fact]
    public async Task Json_output_has_the_protojson_shape()
    {
        var text = string.Join('\n', await _lab.MustAsync("master-0", "sudo crictl ps --name keepalived -o json"));
        var containers = JsonNode.Parse(text)!["containers"]!.AsArray();
        Assert.Equal(["keepalived", "keepalived-monitor"], containers.Select(c => (string)c!["metadata"]!["name"]!).Order().ToList());
        var first = containers[0]!;
        Assert.Matches(FullId(), (string)first["id"]!);
        Assert.Matches(FullId(), (string)first["podSandboxId"]!);
        Assert.Equal(0, (int)first["metadata"]!["attempt"]!);
        Assert.Equal("CONTAINER_RUNNING", (string?)first["state"]);
        Assert.Matches("^[0-9]{19}$", (string)first["createdAt"]!); // int64 nanoseconds as a string
        Assert.Equal("keepalived-master-0", (string?)first["labels"]!["io.kubernetes.pod.name"]);
        Assert.StartsWith("quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:", (string)first["image"]!["image"]!);
    }

    [Fact]
    public async Task Pods_lists_sandboxes_and_crictl_needs_root()
    {
        var pods = await _lab.MustAsync("master-0", "sudo crictl pods --namespace openshift-etcd");
        Assert.Equal(["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"], Regex.Split(pods[0].Trim(), " {2,}"));
        Assert.Contains(pods, l => l.Contains("etcd-master-0 ", StringComparison.Ordinal) && l.Contains("Ready", StringComparison.Ordinal));

        var (code, stdout, stderr) = await _lab.RunAsync("master-0", "crictl ps");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("level=fatal", stderr.Single());
        Assert.Contains("connect: permission denied", stderr.Single());
    }

    [Fact]
    public async Task A_stopped_container_of_a_static_pod_is_restarted_by_the_kubelet_with_the_next_attempt()
    {
        var id = Assert.Single(await _lab.MustAsync("master-0", "sudo crictl ps --name kube-scheduler-cert-syncer -q"));
        Assert.Equal([id], await _lab.MustAsync("master-0", $"sudo crictl stop {id}"));
        Assert.Empty(await _lab.MustAsync("master-0", "sudo crictl ps --name kube-scheduler-cert-syncer -q"));

        _lab.Pass(TimeSpan.FromSeconds(15)); // back-off 10s, start 2s
        var table = await _lab.MustAsync("master-0", "sudo crictl ps -a --name kube-scheduler-cert-syncer");
        Assert.Contains(table, l => l.Contains("Running", StringComparison.Ordinal) && Regex.IsMatch(l, @"kube-scheduler-cert-syncer\s+1\s"));
        Assert.Contains(table, l => l.StartsWith(id[..13], StringComparison.Ordinal) && l.Contains("Exited", StringComparison.Ordinal));
    }
}
