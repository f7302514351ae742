using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Lab.Legacy.Ocp42;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// procedures/ocp42-expired-certificates.yaml (003_28eb1c421f859d40.txt 3.4.1) through RunService on lab-ocp42 with its
/// control-plane certificates expired; the lab's health decides whether the cluster is recovered.
/// </summary>
[Trait("Category", "Lab")]
public sealed class Ocp42ExpiredCertificatesTests
{
    private const string Procedure = "ocp42-expired-certificates";
    private const string Scenario = "ocp42-expired-certificates";
    private static readonly string[] Masters = ["master-0", "master-1", "master-2"];

    private static Ocp42Cluster Model(ProcedureDrill drill) => (Ocp42Cluster)drill.Cluster.Model!;

    private static string Sha256Of(ProcedureDrill drill, string host, string path) =>
        drill.Cluster.Host(host).FileSystem.TryReadFile(path, out var text)
            ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant()
            : throw new FileNotFoundException($"{host}:{path}");

    [Fact]
    public async Task The_recovery_api_server_regenerates_the_certificates_and_every_node_comes_back()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(LegacyClusterCatalog.Ocp42ClusterName, Scenario, [Procedure]);
        var before = drill.Health();
        Assert.True(before.Has("api-certificate-expired"), before.ToString());
        var workersOffered = new List<InputOption>();
        drill.Answer = (path, request) =>
        {
            if (path.StartsWith("worker-kubelets/choose-workers", StringComparison.Ordinal)) workersOffered.AddRange(request.Options);
            return null; // the preselected answers: every NotReady worker, every valid CSR
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-0" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var health = drill.Health();
        Assert.True(health.Healthy, health.ToString());
        Assert.False(Model(drill).RecoveryApiserverRunning);
        Assert.Equal(["worker-0", "worker-1"], workersOffered.Where(o => o.Selected).Select(o => o.Value).ToList());

        var lines = await drill.TranscriptAsync(run.Id);
        var sent = lines.Where(l => l.Text.StartsWith("$ ", StringComparison.Ordinal)).Select(l => l.Text).ToList();
        // The KAO image came from the cluster's own release; every podman run went without a terminal.
        Assert.Contains("$ sudo oc adm release info --registry-config=/var/lib/kubelet/config.json quay.io/openshift-release-dev/ocp-release:4.3.40-x86_64 --image-for=cluster-kube-apiserver-operator", sent);
        Assert.Equal(3, sent.Count(c => c.Contains($"podman run --network=host -v /etc/kubernetes/:/etc/kubernetes/:Z --entrypoint=/usr/bin/cluster-kube-apiserver-operator {Ocp42Release.Components["cluster-kube-apiserver-operator"]} ", StringComparison.Ordinal)));
        Assert.DoesNotContain(sent, c => c.Contains(" -it ", StringComparison.Ordinal));
        // The document's three forced rollouts, through the recovery kubeconfig on the recovery master.
        foreach (var op in new[] { "kubeapiserver", "kubecontrollermanager", "kubescheduler" })
            Assert.Contains(lines, l => l.Text == $"{op}.operator.openshift.io/cluster patched" && l.Host == "master-0");
        // The bootstrap kubeconfig holds a client key: it never reached the transcript.
        Assert.DoesNotContain(lines, l => l.Text.Contains("client-key-data", StringComparison.Ordinal));
        var clientKey = Model(drill).RecoveredKubeconfig!.Split('\n').Single(l => l.Contains("client-key-data:", StringComparison.Ordinal)).Split(':')[1].Trim();
        Assert.DoesNotContain(lines, l => l.Text.Contains(clientKey, StringComparison.Ordinal));
        // Every step that changes the cluster waited for the approver.
        string[] destructive = ["Regenerate the certificates", "Force new rollouts of kube-apiserver, kube-controller-manager and kube-scheduler",
            "Copy the kubeconfig to every master as /etc/kubernetes/kubeconfig",
            "Write /etc/kubernetes/kubelet-ca.crt and the machine-config-daemon-force file on every master and node",
            "Recover the kubelet on every master", "Recover the kubelet on each chosen worker"];
        Assert.Equal(destructive.Length, drill.Approved.Count);
        Assert.All(destructive.Zip(drill.Approved), p => Assert.StartsWith(p.First, p.Second));
    }

    [Fact]
    public async Task It_is_refused_on_a_cluster_that_is_not_4_2_or_4_3()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(LegacyClusterCatalog.Ocp42ClusterName, null, [Procedure]);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-0" }, cluster: "lab-ocp4"));

        Assert.Contains("4.2 to 4.3", refused.Message);
    }

    [Fact]
    public async Task The_kubeconfig_reaches_every_master_with_the_recovery_masters_sha256_and_the_kubelet_ca_every_host()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(LegacyClusterCatalog.Ocp42ClusterName, Scenario, [Procedure]);
        foreach (var master in Masters) drill.Cluster.Host(master).FileSystem.WriteFile("/etc/kubernetes/kubeconfig", $"(stale bootstrap kubeconfig of {master})\n");

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-1" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var written = Sha256Of(drill, "master-1", "/home/core/kubeconfig");
        Assert.Equal(Model(drill).RecoveredKubeconfig, drill.Cluster.Host("master-1").FileSystem.TryReadFile("/home/core/kubeconfig", out var text) ? text : null);
        foreach (var master in Masters)
        {
            Assert.Equal(written, Sha256Of(drill, master, "/etc/kubernetes/kubeconfig"));
            Assert.Equal(StepStatus.Succeeded, run.FindStep("bootstrap-kubeconfig/distribute-kubeconfig/same-file", master)?.Status
                                               ?? run.Steps.Single(s => s.StepPath == $"bootstrap-kubeconfig/distribute-kubeconfig[{master}]/same-file").Status);
        }
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Text.StartsWith("master-1:/home/core/kubeconfig -> artifact recovered-kubeconfig", StringComparison.Ordinal) && l.Text.EndsWith($"sha256 {written})", StringComparison.Ordinal));
        var ca = Sha256Of(drill, "master-1", "/etc/kubernetes/kubelet-ca.crt");
        foreach (var host in drill.Cluster.Info.Hosts.Select(h => h.Name))
        {
            Assert.Equal(ca, Sha256Of(drill, host, "/etc/kubernetes/kubelet-ca.crt"));
            Assert.True(drill.Cluster.Host(host).FileSystem.FileExists("/run/machine-config-daemon-force"), host);
        }
    }

    [Fact]
    public async Task Csrs_left_unapproved_end_the_run_in_words_and_the_nodes_stay_not_ready()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(LegacyClusterCatalog.Ocp42ClusterName, Scenario, [Procedure]);
        drill.Answer = (path, _) => path.StartsWith("approve-csrs", StringComparison.Ordinal) ? [] : null;

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, new() { ["recoveryHost"] = "master-0" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("No CSR was approved while 5 were pending and master-0, master-1, master-2, worker-0, worker-1 NotReady", run.StatusReason);
        Assert.Contains("The recovery API server still runs on master-0.", run.StatusReason);
        // The first round's question was the last: the run stopped at once, not after 30 rounds.
        Assert.DoesNotContain(run.Steps, s => s.StepPath.StartsWith("approve-csrs[round-2]", StringComparison.Ordinal));
        var health = drill.Health();
        Assert.True(health.Has("csr-pending"), health.ToString());
        Assert.Equal(5, health.Of("node-not-ready").Count());
        Assert.True(health.Has("recovery-apiserver-running"), health.ToString());
    }

    [Fact]
    public async Task A_wrong_kao_image_stops_the_run_before_regenerate_certificates()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(LegacyClusterCatalog.Ocp42ClusterName, Scenario, [Procedure]);

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure,
            new() { ["recoveryHost"] = "master-0", ["kaoImage"] = Ocp42Release.Components["etcd"] }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("The recovery API server did not start on master-0: podman run ... recovery-apiserver create printed no export KUBECONFIG line", run.StatusReason);
        Assert.Contains($"image {Ocp42Release.Components["etcd"]} (step 2", run.StatusReason);
        Assert.DoesNotContain(run.Steps, s => s.StepPath.StartsWith("regenerate-certificates", StringComparison.Ordinal) && s.Status != StepStatus.Pending);
        Assert.Empty(drill.Approved);
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Text.Contains("stat /usr/bin/cluster-kube-apiserver-operator: no such file or directory", StringComparison.Ordinal));
        var health = drill.Health();
        Assert.True(health.Has("api-certificate-expired"), health.ToString());
        Assert.False(health.Has("recovery-apiserver-running"), health.ToString());
    }

    [Fact]
    public async Task A_release_image_that_does_not_exist_stops_the_run_before_anything_is_pulled()
    {
        await using var drill = await ProcedureDrill.StartOnAsync(LegacyClusterCatalog.Ocp42ClusterName, Scenario, [Procedure]);

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure,
            new() { ["recoveryHost"] = "master-0", ["releaseImage"] = "quay.io/openshift-release-dev/ocp-release:4.3.99-x86-64" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(StepStatus.Failed, run.FindStep("kao-image/release-info", "master-0")!.Status);
        var lines = await drill.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.Text == "error: unable to read image quay.io/openshift-release-dev/ocp-release:4.3.99-x86-64: manifest unknown: manifest unknown");
        Assert.DoesNotContain(lines, l => l.Text.Contains("podman", StringComparison.Ordinal));
    }
}
