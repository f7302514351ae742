using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Lab.Legacy.Ocp42;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>Scenario 7: OCP 4.2/4.3 lost master hosts, restore on all masters, expired certificates (003_28eb1c421f859d40.txt).</summary>
[Trait("Category", "Lab")]
public sealed class Ocp42RecoveryTests
{
    private static readonly string[] AllHosts = ["master-0", "master-1", "master-2", "worker-0", "worker-1"];
    private static readonly string[] MasterHosts = ["master-0", "master-1", "master-2"];

    private static Ocp42Cluster Model(LegacyHarness lab) => (Ocp42Cluster)lab.Cluster.Model!;

    [Fact]
    public async Task A_healthy_43_cluster_has_etcd_member_pods_and_machine_config_pools()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());
        Assert.Equal("ocp42", lab.Cluster.Model!.Kind);
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        Assert.True(lab.Cluster.Host("master-1").FileSystem.FileExists("/etc/kubernetes/manifests/etcd-member.yaml"));
        var pool = await lab.MustApiAsync("GET", "/apis/machineconfiguration.openshift.io/v1/machineconfigpools/master");
        Assert.Equal(Ocp42Cluster.RenderedMaster, (string?)pool["status"]!["configuration"]!["name"]);
        Assert.Equal(3, (int)pool["status"]!["machineCount"]!);
        Assert.Equal("True", (string?)pool["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Updated")!["status"]);
        var table = await lab.MustAsync("master-0", "etcdctl member list -w table");
        Assert.Equal(3, table.Count(l => l.Contains("| started |", StringComparison.Ordinal)));
        var backup = await lab.MustAsync("master-0", "sudo -E /usr/local/bin/etcd-snapshot-backup.sh /home/core/assets/backup");
        Assert.Equal("snapshot db and kube resources are successfully saved to /home/core/assets/backup!", backup[^1]);
    }

    [Fact]
    public async Task Lost_masters_are_recovered_with_a_single_member_restore_the_signer_and_etcd_member_recover()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), "ocp42-lost-masters");
        var steps = new Ocp42Steps(lab);
        var health = lab.Health();
        Assert.True(health.Has("etcd-quorum-lost"), health.ToString());
        Assert.Equal(["master-1", "master-2"], health.Of("host-down").Select(p => p.Subject).ToList());
        var (status, body) = await lab.ApiAsync("GET", "/api/v1/nodes");
        Assert.Equal(500, status);
        Assert.Equal("etcdserver: request timed out", (string?)body!["message"]);
        var oldCluster = Model(lab).LiveCluster!.Id;

        // 1. Restore etcd on master-0 as a single-member cluster.
        var output = await steps.RestoreAsync("master-0", $"{Ocp42Steps.Member("master-0")}={Ocp42Steps.Peer(0)}");
        Assert.Contains("Restoring etcd member etcd-member-master-0 from snapshot..", output);
        Assert.Equal("Starting kubelet..", output[^1]);
        Assert.NotEqual(oldCluster, Model(lab).LiveCluster!.Id);
        Assert.Single(Model(lab).LiveCluster!.Members);

        // 2. The machine-api operator re-creates the masters; two CSRs for each are approved.
        Assert.Equal(["master-1", "master-2"], (await steps.NotReadyNodesAsync()).Order().ToList());
        var approved = await steps.ApproveCsrsUntilNonePendingAsync();
        Assert.Equal(4, approved.Count);
        Assert.Empty(await steps.NotReadyNodesAsync());
        Assert.Equal(["master-1", "master-2"], lab.Health().Of("etcd-member-missing").Select(p => p.Subject).ToList());

        // A member recovery without the signer waits for certificates that never come.
        var (code, stdout, stderr) = await lab.RunAsync("master-1",
            "sudo -E SETUP_ETCD_ENVIRONMENT=x KUBE_CLIENT_AGENT=y /usr/local/bin/etcd-member-recover.sh 192.0.2.130 etcd-member-master-1");
        Assert.Equal(1, code);
        Assert.Contains("Waiting for certs to generate..", stdout);
        Assert.Equal("timed out waiting for certs: no etcd signer answers on 192.0.2.130:9943", stderr.Single());
        (code, _, stderr) = await lab.RunAsync("master-1", "sudo -E /usr/local/bin/etcd-member-recover.sh 192.0.2.130 etcd-member-master-1");
        Assert.Equal(1, code);
        Assert.StartsWith("SETUP_ETCD_ENVIRONMENT is not set", stderr.Single());

        // 3. The signer on master-0.
        var tokenized = await lab.MustAsync("master-0", $"sudo -E KUBE_ETCD_SIGNER_SERVER={Ocp42Release.Components["kube-etcd-signer-server"]} /usr/local/bin/tokenize-signer.sh master-0");
        Assert.Equal("Tokenized template now ready: ./assets/manifests/kube-etcd-cert-signer.yaml", tokenized[^1]);
        await steps.CreateSignerPodAsync("master-0");
        Assert.Single(await lab.MustAsync("master-0", "ss -ltn | grep 9943"));

        // 4. etcd-member-recover.sh on each new master.
        foreach (var master in new[] { "master-1", "master-2" })
        {
            var recovered = await steps.RecoverMemberAsync(master, "192.0.2.130");
            Assert.Contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"", recovered);
            Assert.Equal("Starting etcd..", recovered[^1]);
        }
        var table = await lab.MustAsync("master-0", "etcdctl member list -w table");
        Assert.Equal(3, table.Count(l => l.Contains("| started |", StringComparison.Ordinal)));
        Assert.Equal("openshift-config/etcd-signer", lab.Health().Problems.Single().Subject);

        // 5. Remove the signer pod.
        await lab.MustApiAsync("DELETE", "/api/v1/namespaces/openshift-config/pods/etcd-signer");
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        var pool = await lab.MustApiAsync("GET", "/apis/machineconfiguration.openshift.io/v1/machineconfigpools/master");
        Assert.Equal(3, (int)pool["status"]!["updatedMachineCount"]!);
    }

    [Fact]
    public async Task Restoring_all_masters_together_forms_a_new_cluster()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());
        var model = Model(lab);
        model.WriteBackup(MasterHosts, "/home/core/backup");
        var initial = model.InitialCluster(MasterHosts);
        var old = model.LiveCluster!.Id;

        foreach (var master in MasterHosts) await new Ocp42Steps(lab).RestoreAsync(master, initial);

        Assert.NotEqual(old, model.LiveCluster!.Id);
        Assert.Equal(3, model.RunningMembers(model.LiveCluster));
        lab.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        var pool = await lab.MustApiAsync("GET", "/apis/machineconfiguration.openshift.io/v1/machineconfigpools/master");
        Assert.Equal(Ocp42Cluster.RenderedMaster, (string?)pool["status"]!["configuration"]!["name"]);
    }

    [Fact]
    public async Task A_restore_brings_back_the_snapshot_keyspace_and_a_master_left_out_reports_a_cluster_id_mismatch()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());
        var model = Model(lab);
        await lab.MustApiAsync("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"before-backup\"}}", "application/json");
        model.WriteBackup(MasterHosts, "/home/core/backup");
        await lab.MustApiAsync("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"after-backup\"}}", "application/json");

        // Only two of the three masters are restored: they form the new cluster's quorum, the third keeps the old one.
        var initial = model.InitialCluster(MasterHosts);
        foreach (var master in new[] { "master-0", "master-1" }) await new Ocp42Steps(lab).RestoreAsync(master, initial);

        Assert.Equal(200, (await lab.ApiAsync("GET", "/api/v1/namespaces/before-backup")).Status);
        Assert.Equal(404, (await lab.ApiAsync("GET", "/api/v1/namespaces/after-backup")).Status);
        var health = lab.Health();
        var mismatch = health.Of("etcd-cluster-id-mismatch").Single();
        Assert.Equal("master-2", mismatch.Subject);
        Assert.StartsWith("rafthttp: request cluster ID mismatch (got ", mismatch.Message);
        Assert.False(health.Has("etcd-quorum-lost"));
    }

    [Fact]
    public async Task Restores_started_too_far_apart_fail()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());
        var model = Model(lab);
        model.WriteBackup(MasterHosts, "/home/core/backup");
        var initial = model.InitialCluster(MasterHosts);

        await new Ocp42Steps(lab).RestoreAsync("master-0", initial);
        lab.Time.Advance(TimeSpan.FromMinutes(20));
        var (code, _, stderr) = await lab.RunAsync("master-1", $"sudo -E /usr/local/bin/etcd-snapshot-restore.sh /home/core/backup {initial}");
        Assert.Equal(1, code);
        Assert.Contains("gave up waiting for a quorum", stderr.Single());

        var health = lab.Health();
        Assert.True(health.Has("etcd-quorum-lost"), health.ToString());
        Assert.Equal(["master-0", "master-1"], health.Of("etcd-member-failed").Select(p => p.Subject).ToList());
        var (status, body) = await lab.ApiAsync("GET", "/api/v1/nodes");
        Assert.Equal(500, status);
        Assert.Equal("etcdserver: request timed out", (string?)body!["message"]);
    }

    [Fact]
    public async Task Expired_certificates_are_recovered_with_the_recovery_api_server()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), "ocp42-expired-certificates");
        var steps = new Ocp42Steps(lab);
        var health = lab.Health();
        Assert.True(health.Has("api-certificate-expired"));
        Assert.Equal(AllHosts, health.Of("node-not-ready").Select(p => p.Subject).ToList());
        var refused = await Assert.ThrowsAsync<ApiUnreachableException>(() => lab.ApiAsync("GET", "/api/v1/namespaces/kube-system"));
        Assert.Contains("x509: certificate has expired or is not yet valid", refused.Message);

        // regenerate-certificates needs the recovery API server.
        var (code, _, stderr) = await lab.RunAsync("master-0", $"{Ocp42Steps.PodmanOperator} regenerate-certificates");
        Assert.Equal(255, code);
        Assert.Contains("connect: connection refused", stderr.Single());

        await lab.MustAsync("master-0", $"sudo podman pull --authfile=/var/lib/kubelet/config.json {Ocp42Steps.Kao}");
        await lab.MustAsync("master-0", $"{Ocp42Steps.PodmanOperator} recovery-apiserver create");
        Assert.Contains(await lab.MustAsync("master-0", "podman ps"), l => l.EndsWith("recovery-apiserver", StringComparison.Ordinal));
        await lab.MustApiAsync("GET", "/api/v1/namespaces/kube-system");
        await lab.MustAsync("master-0", $"{Ocp42Steps.PodmanOperator} regenerate-certificates");
        foreach (var resource in new[] { "kubeapiservers", "kubecontrollermanagers", "kubeschedulers" })
            await lab.MustApiAsync("PATCH", $"/apis/operator.openshift.io/v1/{resource}/cluster", "{\"spec\":{\"forceRedeploymentReason\":\"recovery-2024-09-01 08:10:00.000000000+00:00\"}}", "application/merge-patch+json");

        // The kubeconfig and the kubelet CA on the hosts, the MCD force file.
        await lab.MustAsync("master-0", "recover-kubeconfig.sh > kubeconfig");
        var kubeconfig = lab.Read("master-0", "/home/core/kubeconfig");
        foreach (var master in MasterHosts) await lab.WriteAsync(master, "/etc/kubernetes/kubeconfig", kubeconfig);
        var ca = await lab.MustApiAsync("GET", "/api/v1/namespaces/openshift-kube-apiserver-operator/configmaps/kube-apiserver-to-kubelet-client-ca");
        foreach (var host in AllHosts)
        {
            await lab.WriteAsync(host, "/etc/kubernetes/kubelet-ca.crt", (string)ca["data"]!["ca-bundle.crt"]!);
            await lab.MustAsync(host, "sudo touch /run/machine-config-daemon-force");
        }

        // Restarting a kubelet that keeps its expired certificates does not help.
        await lab.MustAsync("worker-0", "sudo systemctl restart kubelet");
        Assert.Contains("x509", lab.Health().Of("node-not-ready").Single(p => p.Subject == "worker-0").Message);

        foreach (var host in AllHosts) await steps.RecoverKubeletAsync(host);
        var approved = await steps.ApproveCsrsUntilNonePendingAsync();
        Assert.Equal(10, approved.Count);
        Assert.Empty(await steps.NotReadyNodesAsync());
        Assert.Equal("recovery-apiserver-running", lab.Health().Problems.Single().Code);

        await lab.MustAsync("master-0", $"{Ocp42Steps.PodmanOperator} recovery-apiserver destroy");
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
        await lab.MustApiAsync("GET", "/api/v1/namespaces/kube-system");

        lab.Scenarios.Reset(lab.Cluster.Info.Name);
        Assert.True(lab.Health().Healthy, lab.Health().ToString());
    }
}
