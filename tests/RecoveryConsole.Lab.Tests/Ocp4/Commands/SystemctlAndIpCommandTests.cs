namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

[Trait("Category", "Lab")]
public sealed class SystemctlAndIpCommandTests
{
    private readonly Ocp4Harness _lab = new();

    [Fact]
    public async Task Kubelet_status_stop_and_start_change_the_node()
    {
        var status = await _lab.MustAsync("worker-0", "systemctl status kubelet");
        Assert.Equal("● kubelet.service - Kubernetes Kubelet", status[0]);
        Assert.StartsWith("     Active: active (running) since Thu 2024-08-29 08:00:00 UTC; 3 days ago", status[2]);
        Assert.Equal(["active"], await _lab.MustAsync("worker-0", "systemctl is-active kubelet.service"));

        var (code, _, stderr) = await _lab.RunAsync("worker-0", "systemctl restart kubelet.service");
        Assert.Equal((1, "Failed to restart kubelet.service: Interactive authentication required."), (code, stderr[0]));

        await _lab.MustAsync("worker-0", "sudo systemctl stop kubelet");
        var (inactive, state, _) = await _lab.RunAsync("worker-0", "systemctl is-active kubelet");
        Assert.Equal((3, "inactive"), (inactive, state.Single()));
        Assert.Contains("kubelet.service is not running", _lab.Health().Of("node-not-ready").Single().Message);
        // Containers keep running without a kubelet.
        Assert.NotEmpty(await _lab.MustAsync("worker-0", "sudo crictl ps -q"));

        await _lab.MustAsync("worker-0", "sudo systemctl start kubelet");
        Assert.True(_lab.Health().Healthy, _lab.Health().ToString());
        var journal = await _lab.MustAsync("worker-0", "journalctl -u kubelet --no-pager");
        Assert.Contains(journal, l => l.EndsWith("systemd[1]: Stopped Kubernetes Kubelet.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restarting_a_kubelet_without_certificates_bootstraps_it_through_csrs()
    {
        await _lab.MustAsync("worker-1", "sudo rm -f /var/lib/kubelet/pki/*.pem");
        await _lab.MustAsync("worker-1", "sudo systemctl restart kubelet.service");
        _lab.Pass(TimeSpan.FromSeconds(5));

        var health = _lab.Health();
        Assert.Contains("worker-1", health.Of("node-not-ready").Single().Subject);
        Assert.Contains("node-bootstrapper", health.Of("csr-pending").Single().Message);
        Assert.Contains(await _lab.MustAsync("worker-1", "journalctl -u kubelet"), l => l.Contains("is pending (kubernetes.io/kube-apiserver-client-kubelet)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ip_shows_the_api_vip_on_the_keepalived_holder_and_del_removes_it()
    {
        var holder = await _lab.MustAsync("master-1", "ip -o address");
        Assert.Contains("5: br-ex    inet 192.0.2.5/32 scope global br-ex\\       valid_lft forever preferred_lft forever", holder);
        Assert.Contains("5: br-ex    inet 192.0.2.11/24 brd 192.0.2.255 scope global dynamic noprefixroute br-ex\\       valid_lft 2591854sec preferred_lft 2591854sec", holder);
        Assert.DoesNotContain(await _lab.MustAsync("master-0", "ip -o address"), l => l.Contains("192.0.2.5/", StringComparison.Ordinal));

        var (code, _, stderr) = await _lab.RunAsync("master-1", "ip address del 192.0.2.5/32 dev br-ex");
        Assert.Equal((2, "RTNETLINK answers: Operation not permitted"), (code, stderr.Single()));

        // keepalived stopped uncleanly: the address stays and another host takes the VIP too.
        await _lab.MustAsync("master-1", "sudo mv /etc/kubernetes/manifests/keepalived.yaml /tmp");
        _lab.Pass(TimeSpan.FromSeconds(10));
        Assert.Contains("stale address on master-1", _lab.Health().Of("vip-duplicate").Single().Message);
        var (_, _, warning) = await _lab.RunAsync("master-1", "sudo ip address del 192.0.2.5 dev br-ex");
        Assert.Equal("Warning: Executing wildcard deletion to stay compatible with old scripts.", warning[0]);
        Assert.False(_lab.Health().Has("vip-duplicate"));
        Assert.Contains(await _lab.MustAsync("master-0", "ip -o address"), l => l.Contains("inet 192.0.2.5/32", StringComparison.Ordinal));
    }
}
