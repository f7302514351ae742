namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

/// <summary>Shapes of the restore procedure's commands (5.3.2.2) that DocumentSteps does not send.</summary>
[Trait("Category", "Lab")]
public sealed class RestoreCommandShapesTests
{
    [Fact]
    public async Task Test_f_tells_whether_keepalived_runs_as_a_static_pod_with_or_without_sudo()
    {
        var lab = new Ocp4Harness();
        foreach (var command in new[] { "test -f /etc/kubernetes/manifests/keepalived.yaml", "sudo test -f /etc/kubernetes/manifests/keepalived.yaml" })
            Assert.Equal(0, (await lab.RunAsync("master-2", command)).Code);

        await lab.MustAsync("master-2", "sudo mv -v /etc/kubernetes/manifests/keepalived.yaml /tmp");
        foreach (var command in new[] { "test -f /etc/kubernetes/manifests/keepalived.yaml", "sudo test -f /etc/kubernetes/manifests/keepalived.yaml" })
            Assert.Equal(1, (await lab.RunAsync("master-2", command)).Code);
    }

    [Fact]
    public async Task Grep_for_the_api_vip_finds_it_only_on_its_holder()
    {
        var lab = new Ocp4Harness();
        Assert.Contains("inet 192.0.2.5/32", Assert.Single(await lab.MustAsync("master-1", "ip -o address | grep 192.0.2.5")), StringComparison.Ordinal);
        var (code, stdout, _) = await lab.RunAsync("master-0", "ip -o address | grep 192.0.2.5");
        Assert.Equal((1, 0), (code, stdout.Count));
    }

    [Fact]
    public async Task The_restore_script_runs_with_proxy_variables_passed_through_sudo_E()
    {
        var lab = new Ocp4Harness("ocp4-control-plane-majority-lost");
        var lines = await lab.MustAsync("master-0",
            "HTTP_PROXY='http://proxy:3128' HTTPS_PROXY='http://proxy:3128' NO_PROXY='.cluster.local' sudo -E /usr/local/bin/cluster-restore.sh /home/core/assets/backup");

        Assert.Contains("starting restore-etcd static pod", lines);
        Assert.Equal("static-pod-resources/kube-scheduler-pod-7/kube-scheduler-pod.yaml", lines[^1]);
        await lab.WaitUntilAsync("the restored single-member etcd runs", async () =>
            (await lab.RunAsync("master-0", "sudo crictl ps | grep etcd | egrep -v \"operator|etcd-guard\"")).Out.Count > 0);
    }
}
