using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Legacy.Ocp311;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// procedures/ocp311-remove-etcd-host.yaml (5.2.1.4) and ocp311-retire-master.yaml (5.2.1.3) through RunService on
/// lab-ocp311 with the scenario "etcd-0 failed, master-2 to retire": the lab's own health is the judge.
/// </summary>
[Trait("Category", "Lab")]
public sealed class Ocp311RetireAndRemoveTests
{
    private const string Cluster = "lab-ocp311";
    private const string Scenario = "ocp311-etcd-host-failed-retire-master";
    private const string RemoveEtcdHost = "ocp311-remove-etcd-host";
    private const string RetireMaster = "ocp311-retire-master";
    private const string FailedId = "8372784203e11288";
    private const string OldInitialCluster =
        "ETCD_INITIAL_CLUSTER=master-0.example.com=https://192.0.2.110:2380,master-1.example.com=https://192.0.2.111:2380,master-2.example.com=https://192.0.2.112:2380,etcd-0.example.com=https://192.0.2.115:2380";

    private static Dictionary<string, string?> RemoveParameters() =>
        new() { ["etcdHost"] = "master-0", ["failedHost"] = "etcd-0", ["ansibleHost"] = "master-0" };

    private static Dictionary<string, string?> RetireParameters(string master = "master-2") =>
        new() { ["retiredMaster"] = master, ["loadBalancer"] = "lb-0", ["ansibleHost"] = "master-0" };

    [Fact]
    public async Task Removing_the_failed_etcd_host_then_retiring_master_2_leaves_the_cluster_healthy()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [RemoveEtcdHost, RetireMaster]);
        Assert.False(drill.Health().Healthy);
        var offered = new List<InputOption>();
        drill.Answer = (path, request) =>
        {
            if (path.EndsWith("choose-member", StringComparison.Ordinal)) offered.AddRange(request.Options);
            return null; // what the console preselected
        };
        var manual = new List<string>();
        drill.Confirm = path =>
        {
            manual.Add(path);
            return "drained and deleted the node as the 3.11 node section says";
        };

        var remove = await drill.DriveAsync(await drill.StartRunAsync(RemoveEtcdHost, RemoveParameters()));

        Assert.True(remove.Status == RunStatus.Succeeded, await drill.ExplainAsync(remove));
        // The parsed cluster-health preselected the unreachable member, shown with its name.
        Assert.Equal(4, offered.Count);
        var chosen = Assert.Single(offered, o => o.Selected);
        Assert.Equal(FailedId, chosen.Value);
        Assert.Contains("etcd-0.example.com", chosen.Label);
        var transcript = await drill.TranscriptAsync(remove.Id);
        Assert.Contains(transcript, l => l.Text.Contains($"etcdctl2 member remove {FailedId}", StringComparison.Ordinal) || l.Text.Contains($"etcdctl2 member remove '{FailedId}'", StringComparison.Ordinal));
        Assert.DoesNotContain(transcript, l => l.Text.Contains("member remove etcd-0", StringComparison.Ordinal));
        // The approver of the etcd.conf edits saw each remaining host's diff, the removed member's line among them.
        var etcdConf = Assert.Single(remove.Approvals, a => a.StepPath.EndsWith("etcd-conf", StringComparison.Ordinal));
        foreach (var host in new[] { "master-0", "master-1", "master-2" })
            Assert.Contains($"editFile /etc/etcd/etcd.conf on {host}:", etcdConf.BindingText);
        Assert.Contains("  | -" + OldInitialCluster + "\n", etcdConf.BindingText);
        Assert.Contains("  | +ETCD_INITIAL_CLUSTER=master-0.example.com=https://192.0.2.110:2380,master-1.example.com=https://192.0.2.111:2380,master-2.example.com=https://192.0.2.112:2380\n",
            etcdConf.BindingText);
        Assert.DoesNotContain("on etcd-0:", etcdConf.BindingText);
        var inventory = Assert.Single(remove.Approvals, a => a.StepPath.EndsWith("inventory", StringComparison.Ordinal));
        Assert.Contains("  | -etcd-0.example.com\n", inventory.BindingText);
        var model = (Ocp311Cluster)drill.Cluster.Model!;
        Assert.Equal(3, model.Members.Count);
        Assert.Empty(manual); // removing an etcd host asks nothing by hand
        var between = drill.Health();
        Assert.False(between.Has("etcd-member-unreachable") || between.Has("etcd-initial-cluster-stale") || between.Has("flanneld-stale-endpoints"), between.ToString());
        Assert.True(between.Has("haproxy-backend-retired-master"));

        var retire = await drill.DriveAsync(await drill.StartRunAsync(RetireMaster, RetireParameters()));

        Assert.True(retire.Status == RunStatus.Succeeded, await drill.ExplainAsync(retire));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
        var haproxy = Assert.Single(retire.Approvals, a => a.StepPath == "haproxy");
        Assert.Contains("  | -    server master-2.example.com 192.0.2.112:8443 check", haproxy.BindingText);
        var retiredInventory = Assert.Single(retire.Approvals, a => a.StepPath == "inventory").BindingText!;
        Assert.Contains("  | -master-2.example.com\n", retiredInventory);
        Assert.Contains("  | -master-2.example.com openshift_node_group_name='node-config-master'\n", retiredInventory);
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryReadFile("/etc/ansible/hosts", out var hosts));
        Assert.Contains("[etcd]\nmaster-0.example.com\nmaster-1.example.com\nmaster-2.example.com\n", hosts); // still an etcd host
        Assert.Contains("[masters]\nmaster-0.example.com\nmaster-1.example.com\n\n", hosts);
        Assert.True(drill.Cluster.Host("master-2").FileSystem.FileExists("/etc/origin/node/pods/disabled/apiserver.yaml"));
        Assert.True(drill.Cluster.Host("master-2").FileSystem.FileExists("/etc/origin/node/pods/disabled/controller.yaml"));
        // master-2 is not the first master: no CA copy was asked for, only the node retirement.
        Assert.Equal(["retire-node"], manual);
        Assert.Equal(StepStatus.Skipped, retire.FindStep("first-master")!.Status);
    }

    [Fact]
    public async Task Retiring_the_inventorys_first_master_asks_first_for_its_ca_files_to_be_copied()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [RetireMaster]);
        var manual = new List<string>();
        drill.Confirm = path =>
        {
            manual.Add(path);
            return "copied ca.serial.txt to master-1 and master-2, /etc/etcd/ca and generated_certs to master-1";
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(RetireMaster, RetireParameters("master-0")));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(["first-master", "retire-node"], manual); // before anything is taken out of service
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryReadFile("/etc/ansible/hosts", out var hosts));
        Assert.Contains("[masters]\nmaster-1.example.com\nmaster-2.example.com\n", hosts);
        var endpoints = drill.Cluster.Api.Get("/api/v1/namespaces/default/endpoints/kubernetes")!.ToJsonString();
        Assert.DoesNotContain("192.0.2.110", endpoints);
    }

    [Fact]
    public async Task A_healthy_member_chosen_instead_of_the_failed_one_is_refused_before_anything_is_removed()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [RemoveEtcdHost]);
        var model = (Ocp311Cluster)drill.Cluster.Model!;
        var master1 = model.MemberOf("master-1")!.Id;
        drill.Answer = (path, _) => path.EndsWith("choose-member", StringComparison.Ordinal) ? [master1] : null;

        var run = await drill.DriveAsync(await drill.StartRunAsync(RemoveEtcdHost, RemoveParameters()));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Empty(run.Approvals); // nobody was even asked to approve a removal
        var refusal = run.Steps.Single(s => s.StepPath.EndsWith("/unreachable", StringComparison.Ordinal));
        Assert.Equal(StepStatus.Failed, refusal.Status);
        Assert.Contains($"Member {master1} (master-1.example.com, 192.0.2.111) answered etcdctl2 cluster-health as healthy", refusal.Message);
        Assert.Contains($"Nothing was removed. Choose the unreachable member ({FailedId})", refusal.Message);
        Assert.Equal(4, model.Members.Count);
        var health = drill.Health();
        Assert.False(health.Has("etcd-healthy-member-removed"), health.ToString());
        Assert.Equal(["etcd-0"], health.Of("etcd-member-unreachable").Select(p => p.Subject).ToList());
    }

    [Fact]
    public async Task The_unreachable_member_is_not_removed_when_the_operator_named_another_failed_host()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [RemoveEtcdHost]);
        var parameters = RemoveParameters();
        parameters["failedHost"] = "master-2";

        var run = await drill.DriveAsync(await drill.StartRunAsync(RemoveEtcdHost, parameters));

        // The really failed host is then one the run would edit (etcd.conf): preflight refuses the start naming it.
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Empty(run.Approvals);
        Assert.StartsWith("Preflight: 1 of ", run.StatusReason, StringComparison.Ordinal);
        Assert.Contains("etcd-0:", run.StatusReason, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Steps, s => s.StepPath.EndsWith("/on-failed-host", StringComparison.Ordinal));
        Assert.Equal(4, ((Ocp311Cluster)drill.Cluster.Model!).Members.Count);
    }

    [Fact]
    public async Task An_etcd_conf_changed_on_a_host_after_its_diff_was_approved_voids_the_approval_and_the_new_diff_is_asked_for()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(Cluster, Scenario, [RemoveEtcdHost]);
        var master1 = drill.Cluster.Host("master-1").FileSystem;
        const string handEdit = "# ETCD_DEBUG=true set by hand during the incident\n";
        var first = true;
        var handEdited = "";
        drill.Approve = approval =>
        {
            // Someone edits master-1's etcd.conf between the approval of the diffs and the edits.
            if (approval.StepPath.EndsWith("etcd-conf", StringComparison.Ordinal) && first)
            {
                first = false;
                Assert.True(master1.TryReadFile("/etc/etcd/etcd.conf", out var conf));
                handEdited = conf + handEdit;
                master1.WriteFile("/etc/etcd/etcd.conf", handEdited);
            }
            return true;
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(RemoveEtcdHost, RemoveParameters()));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var edits = run.Approvals.Where(a => a.StepPath.EndsWith("etcd-conf", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, edits.Count);
        Assert.Equal(ApprovalDecision.Void, edits[0].Decision);
        Assert.Contains("/etc/etcd/etcd.conf on master-1 changed since the diff was approved", edits[0].Reason);
        // The new diff is made from the hand-edited file (its SHA-256), and still removes the failed member.
        Assert.Contains($"editFile /etc/etcd/etcd.conf on master-1: {handEdited.Length} bytes, sha256 {LabFileSystem.Sha256Of(handEdited)}", edits[1].BindingText);
        Assert.DoesNotContain(LabFileSystem.Sha256Of(handEdited), edits[0].BindingText);
        Assert.True(master1.TryReadFile("/etc/etcd/etcd.conf", out var now));
        Assert.EndsWith(handEdit, now); // kept: the edit was applied to what was approved second
        Assert.DoesNotContain("etcd-0.example.com", now);
        Assert.False(drill.Health().Has("etcd-initial-cluster-stale"), drill.Health().ToString());
    }
}
