using RecoveryConsole.Clusters.Inventory;
using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh;
using RecoveryConsole.Transports.Kubernetes;

namespace RecoveryConsole.Clusters.Tests;

/// <summary>
/// Issue 3's "done when": the shipped sample procedure runs end to end through the engine on a REGISTERED cluster, as
/// an operator would set it up: registered with a key and a kubeconfig, host key accepted, connection tested,
/// inventory captured from its API and the gaps corrected by hand. Every host step goes over SSH to a real sshd
/// (all three masters are 127.0.0.1); every API step goes over HTTPS, with the stored kubeconfig, to a lab API server.
/// The lab is off: nothing simulated is registered in this console.
/// </summary>
[Collection(SshClusterCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class RegisteredClusterDrillTests(SshClusterFixture sshd)
{
    private const string Cluster = "prod-ssh";

    [Fact]
    public async Task The_sample_procedure_runs_to_the_end_on_a_registered_cluster_over_real_ssh_and_https()
    {
        var api = new LabCluster(LabClusterCatalog.DemoOpenShift() with { Name = Cluster }, new LabOptions { TimeScale = 0.01, RolloutStepDelay = TimeSpan.FromSeconds(5) },
            TimeProvider.System);
        await using var server = await LabApiServer.StartAsync(api);
        await using var console = await ClustersHost.StartAsync(lab: false);

        // Register, trust the host key, test the connection.
        await console.Registration.SaveAsync(sshd.Registration(Cluster, server.CreateKubeconfig()), ClustersHost.Olivia, CancellationToken.None);
        var connection = console.Registry.Find(Cluster)!;
        Assert.False(connection.Info.IsSimulated);
        Assert.IsType<SshHostTransport>(connection.Hosts);
        Assert.DoesNotContain(console.Registry.List(), c => c.IsSimulated);
        await console.Trust.AcceptAsync(Cluster, "master-0", sshd.Server.HostKeyFingerprint, ClustersHost.Olivia, CancellationToken.None);
        var report = await console.ConnectionTest.RunAsync(Cluster, CancellationToken.None);
        Assert.True(report.AllPassed, string.Join(" | ", report.Hosts.Select(h => h.Sudo.Sentence).Concat(report.Apis.Select(a => a.Problem ?? a.Report!.ClusterAdmin.Sentence))));
        Assert.Equal("Authenticated as system:admin.", report.Api!.Report!.Authenticated.Sentence);

        // Capture the inventory over the stored kubeconfig, keep the SSH addresses, fill the gaps by hand.
        var captured = await InventoryCapture.CaptureAsync(connection.Api, CancellationToken.None);
        Assert.Equal(5, captured.Hosts.Count);
        await console.Registration.SaveInventoryAsync(Cluster, [], captured.Facts, captured.Version, "captured from the API by olivia", ClustersHost.Olivia, CancellationToken.None);
        var facts = new Dictionary<string, string>(console.Registry.Definition(Cluster)!.Facts);
        facts.TryAdd("keepalived", "true");
        facts.TryAdd("networkType", "OVNKubernetes");
        await console.Registration.CorrectFactsAsync(Cluster, facts, ClustersHost.Olivia, CancellationToken.None);
        Assert.Equal(["master-0", "master-1", "master-2"], console.Registry.Find(Cluster)!.Info.Hosts.Select(h => h.Name));
        Assert.All(console.Registry.Find(Cluster)!.Info.Hosts, h => Assert.Equal("127.0.0.1", h.Address));

        // Run the sample procedure through the engine.
        var runs = console.Get<RunService>();
        var repository = console.Get<IRunRepository>();
        var id = await runs.StartAsync(new StartRunRequest("sample-drill", Cluster, new Dictionary<string, string?> { ["recoveryHost"] = "master-0" }),
            ClustersHost.Olivia, CancellationToken.None);

        var answered = new HashSet<string>();
        var refusedWhileRunning = false;
        Run run;
        while (true)
        {
            run = await WaitAsync(repository, id, r => r.Status.IsFinal() || Gates(r).Any(g => !answered.Contains(g)));
            if (run.Status.IsFinal()) break;
            if (!refusedWhileRunning)
            {
                // While a run holds the cluster's connections, they cannot be changed under it.
                var e = await Assert.ThrowsAsync<ClusterRegistrationException>(() => console.Registration.SaveAsync(
                    sshd.Registration(Cluster) with { SshUser = "core", PrivateKey = null }, ClustersHost.Olivia, CancellationToken.None));
                Assert.StartsWith($"Run \"{run.ProcedureTitle}\" ({id}, started by olivia, ", Assert.Single(e.For(RegistrationFields.General)), StringComparison.Ordinal);
                await Assert.ThrowsAsync<InvalidOperationException>(() => console.Registration.RemoveAsync(Cluster, ClustersHost.Olivia, CancellationToken.None));
                refusedWhileRunning = true;
            }
            var gate = Gates(run).First(g => !answered.Contains(g));
            answered.Add(gate);
            if (gate.StartsWith("approval:", StringComparison.Ordinal))
                await runs.ApproveAsync(id, run.Approvals.Last(a => a.Decision == ApprovalDecision.Pending).StepPath, ClustersHost.Arjun, "checked on the registered cluster", CancellationToken.None);
            else
                await runs.ConfirmAsync(id, gate["manual:".Length..], ClustersHost.Olivia, "would re-create master-1 and master-2", CancellationToken.None);
        }

        Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.StatusReason}");
        Assert.False(run.IsDrill);
        Assert.True(refusedWhileRunning);
        await console.Get<RunFeed>().FlushAsync(id, CancellationToken.None);
        var lines = await console.Get<ITranscriptStore>().ReadAsync(id, 0, int.MaxValue, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            lines.Where(l => l.StepPath == "watch-operators" && l.Stream == OutputStream.Stdout).Select(l => l.Text));
        Assert.Contains(lines, l => l.Stream == OutputStream.Stderr && l.Text == "rehearsal only: nothing is changed" && l.Host == "master-0");
        Assert.Contains(lines, l => l.Text == "starting restore-etcd static pod" && l.Host == "master-0");   // sudo -E over ssh
        Assert.Contains(lines, l => l.Text == "renamed /etc/kubernetes/manifests/etcd-pod.yaml to /tmp/etcd-pod.yaml on master-2" && l.Host == "master-2");
        Assert.Equal(["master-0", "master-1", "master-2"], lines.Where(l => l.Text.StartsWith("restarting kubelet.service on ", StringComparison.Ordinal)).Select(l => l.Host).Order());
        Assert.Contains(lines, l => l.Text == "inet 192.168.111.5/32 scope global br-ex"); // the keepalived step, enabled by the corrected fact
        Assert.DoesNotContain(lines, l => l.Text.Contains("__RC_", StringComparison.Ordinal));

        // The API steps really went to the registered kubeconfig's server: the quorum guard override was set and removed there.
        using var direct = KubernetesClient.FromKubeconfigText(server.CreateKubeconfig());
        var etcd = await direct.SendAsync(new ApiRequest("GET", "/apis/operator.openshift.io/v1/etcds/cluster"), CancellationToken.None);
        Assert.True(etcd.IsSuccess, etcd.Body);
        Assert.DoesNotContain("useUnsupportedUnsafeNonHANonProductionUnstableEtcd", etcd.Body, StringComparison.Ordinal);
        Assert.Contains(server.Faults.Requests, r => r.Method == "PATCH" && r.Target.StartsWith("/apis/operator.openshift.io/v1/etcds/cluster", StringComparison.Ordinal));

        var kinds = (await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None)).Select(e => e.Kind).ToList();
        Assert.Contains(AuditKinds.ClusterRegistered, kinds);
        Assert.Contains(AuditKinds.HostKeyAccepted, kinds);
        Assert.Contains(AuditKinds.InventoryCaptured, kinds);
    }

    private static IEnumerable<string> Gates(Run run) =>
        run.Approvals.Where(a => a.Decision == ApprovalDecision.Pending).Select(a => $"approval:{a.Id}")
            .Concat(run.Steps.Where(s => s.Status == StepStatus.WaitingForOperator).Select(s => $"manual:{s.StepPath}"));

    /// <summary>Polls the stored run until the condition holds: a bounded wait for the engine, not a timing assertion.</summary>
    private static async Task<Run> WaitAsync(IRunRepository repository, Guid id, Func<Run, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        Run? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await repository.GetAsync(id, CancellationToken.None);
            if (run is not null && condition(run)) return run;
            await Task.Delay(25);
        }
        throw new TimeoutException($"The run never got there; last: {run?.Status} {run?.StatusReason}");
    }
}
