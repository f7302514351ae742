using RecoveryConsole.Lab.Health;

namespace RecoveryConsole.Lab.Tests.Ocp4;

[Trait("Category", "Lab")]
public sealed class SmokeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private async Task Run(Ocp4Harness lab, string host, string cmd)
    {
        var (code, o, e) = await lab.RunAsync(host, cmd);
        output.WriteLine($"[{host}]$ {cmd}  -> {code}");
        foreach (var l in o) output.WriteLine(l);
        foreach (var l in e) output.WriteLine("ERR " + l);
    }

    private async Task<int> Api(Ocp4Harness lab, string method, string path, string? body = null, int max = 400)
    {
        try
        {
            var (s, b) = await lab.ApiAsync(method, path, body, body is null ? null : "application/merge-patch+json");
            var text = b?.ToJsonString() ?? "";
            output.WriteLine($"API {method} {path} -> {s} {text[..Math.Min(max, text.Length)]}");
            return s;
        }
        catch (Exception e)
        {
            output.WriteLine($"API {method} {path} -> {e.GetType().Name}: {e.Message}");
            return -1;
        }
    }

    private readonly System.Diagnostics.Stopwatch _sw = System.Diagnostics.Stopwatch.StartNew();
    private void Health(Ocp4Harness lab, string when) => output.WriteLine($"HEALTH {when} @{_sw.ElapsedMilliseconds}ms: {LabHealth.Evaluate(lab.Cluster).Problems.Count} passes={lab.Model.ReconcilePasses} unsettled={lab.Model.UnsettledReconciles} events={lab.Model.Scheduler.Count}");

    [Fact]
    public async Task Smoke()
    {
        var lab = new Ocp4Harness();
        Health(lab, "seed");
        await Api(lab, "POST", "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-sandbox"}}""");
        lab.Cluster.Host("master-1").Reachable = false;
        lab.Cluster.Host("master-2").Reachable = false;
        lab.Pass(TimeSpan.FromSeconds(5));
        Health(lab, "lost");
        await Run(lab, "master-0", "sudo -E /usr/local/bin/cluster-restore.sh /home/core/assets/backup");
        lab.Pass(TimeSpan.FromSeconds(60));
        Health(lab, "restored");
        await Run(lab, "master-0", "sudo systemctl restart kubelet.service");
        lab.Pass(TimeSpan.FromSeconds(30));
        await Api(lab, "GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests");
        await Api(lab, "DELETE", "/api/v1/namespaces/openshift-ovn-kubernetes/pods?labelSelector=app%3Dovnkube-control-plane");
        lab.Pass(TimeSpan.FromSeconds(30));
        foreach (var host in new[] { "master-0", "worker-0", "worker-1" })
        {
            await Run(lab, host, "sudo rm -f /var/lib/ovn-ic/etc/*.db");
            await Run(lab, host, "sudo systemctl restart ovs-vswitchd ovsdb-server");
            await Api(lab, "DELETE", $"/api/v1/namespaces/openshift-ovn-kubernetes/pods?labelSelector=app%3Dovnkube-node&fieldSelector=spec.nodeName%3D%3D{host}");
            lab.Pass(TimeSpan.FromSeconds(30));
        }
        Health(lab, "ovn");
        foreach (var i in new[] { 1, 2 })
        {
            await Api(lab, "DELETE", $"/apis/machine.openshift.io/v1beta1/namespaces/openshift-machine-api/machines/{lab.Model.InfraId}-master-{i}");
            for (var n = 0; n < 30; n++) lab.Pass(TimeSpan.FromSeconds(10));
            Health(lab, $"machine {i}");
        }
        await Run(lab, "master-0", "etcdctl member list -w table");
        await Api(lab, "PATCH", "/apis/operator.openshift.io/v1/etcds/cluster", """{"spec": {"unsupportedConfigOverrides": {"useUnsupportedUnsafeNonHANonProductionUnstableEtcd": true}}}""", 50);
        await Api(lab, "PATCH", "/apis/operator.openshift.io/v1/etcds/cluster", """{"spec": {"forceRedeploymentReason": "recovery-1"}}""", 50);
        await Api(lab, "PATCH", "/apis/operator.openshift.io/v1/etcds/cluster", """{"spec": {"unsupportedConfigOverrides": null}}""", 50);
        for (var n = 0; n < 60; n++) lab.Pass(TimeSpan.FromSeconds(10));
        Health(lab, "etcd redeployed");
        foreach (var op in new[] { "kubeapiservers", "kubecontrollermanagers", "kubeschedulers" })
        {
            await Api(lab, "PATCH", $"/apis/operator.openshift.io/v1/{op}/cluster", """{"spec": {"forceRedeploymentReason": "recovery-1"}}""", 50);
            for (var n = 0; n < 80; n++) lab.Pass(TimeSpan.FromSeconds(10));
        }
        Health(lab, "end");
        await Run(lab, "master-0", "etcdctl member list -w table");
        await Api(lab, "GET", "/api/v1/namespaces/openshift-etcd/pods?labelSelector=k8s-app%3Detcd", max: 200);
    }
}
