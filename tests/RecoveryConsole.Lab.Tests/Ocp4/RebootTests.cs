using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Ocp4;

/// <summary>The document's last step, "restart all control-plane hosts": sudo systemctl reboot / sudo shutdown -r now.</summary>
[Trait("Category", "Lab")]
public sealed class RebootTests
{
    private readonly Ocp4Harness _lab = new();

    [Fact]
    public async Task Reboot_cuts_the_session_like_ssh_and_the_host_is_unreachable_until_it_has_booted()
    {
        var (code, stdout, stderr) = await _lab.RunAsync("master-1", "echo before; sudo systemctl reboot; echo after");

        Assert.Equal(255, code);
        Assert.Equal(["before"], stdout); // nothing after the reboot ran
        Assert.Equal(["Connection to 192.0.2.11 closed by remote host."], stderr);
        var lost = await Assert.ThrowsAsync<HostUnreachableException>(() => _lab.RunAsync("master-1", "true"));
        Assert.Contains("192.0.2.11 port 22", lost.Reason, StringComparison.Ordinal);

        _lab.Pass(TimeSpan.FromSeconds(60));
        var down = _lab.Health();
        Assert.Equal(["host-down", "etcd-member-down", "node-not-ready"], down.Problems.Select(p => p.Code).Distinct().ToList());
        Assert.All(down.Problems, p => Assert.Equal("master-1", p.Subject));
        await Assert.ThrowsAsync<HostUnreachableException>(() => _lab.RunAsync("master-1", "true"));

        _lab.Time.Advance(TimeSpan.FromSeconds(31)); // no Sync: the transport itself catches the simulation up
        var uptime = await _lab.MustAsync("master-1", "sudo systemctl status kubelet");
        Assert.Contains(uptime, l => l.Contains("Active: active (running) since Sun 2024-09-01 08:01:30 UTC", StringComparison.Ordinal));

        await _lab.WaitUntilAsync("master-1 back to healthy", () => _lab.Health().Healthy);
        var etcd = await _lab.MustAsync("master-1", "sudo crictl ps --name etcd$ -q");
        Assert.Single(etcd);
    }

    [Fact]
    public async Task Shutdown_r_now_reboots_too_and_the_static_pods_start_again_from_the_manifests()
    {
        var before = await _lab.MustAsync("master-2", "sudo crictl ps -q");
        var (code, _, stderr) = await _lab.RunAsync("master-2", "sudo shutdown -r now");
        Assert.Equal((255, "Connection to 192.0.2.12 closed by remote host."), (code, stderr.Single()));

        _lab.Pass(TimeSpan.FromSeconds(90));
        await _lab.WaitUntilAsync("kube-apiserver on master-2 again", async () =>
            (await _lab.RunAsync("master-2", "sudo crictl ps | grep kube-apiserver | egrep -v \"operator|guard\"")).Out.Count > 0);
        var after = await _lab.MustAsync("master-2", "sudo crictl ps -q");
        Assert.Empty(after.Intersect(before)); // new containers: the runtime started empty
        await _lab.WaitUntilAsync("healthy", () => _lab.Health().Healthy);
    }

    [Theory]
    [InlineData("systemctl reboot")]
    [InlineData("shutdown -r now")]
    [InlineData("reboot")]
    public async Task Without_root_logind_refuses_and_nothing_happens(string command)
    {
        var (code, stdout, stderr) = await _lab.RunAsync("master-0", command);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal(
        [
            "Failed to set wall message, ignoring: Interactive authentication required.",
            "Failed to reboot system via logind: Interactive authentication required.",
            "Failed to start reboot.target: Interactive authentication required.",
            "See system logs and 'systemctl status reboot.target' for details.",
        ], stderr);
        Assert.True(_lab.Health().Healthy);
        await _lab.MustAsync("master-0", "true");
    }

    [Fact]
    public async Task Shutdown_r_with_a_delay_announces_the_reboot_and_reboots_then()
    {
        var (code, _, stderr) = await _lab.RunAsync("worker-0", "sudo shutdown -r +2");
        Assert.Equal(0, code);
        Assert.Equal("Reboot scheduled for Sun 2024-09-01 08:02:00 UTC, use 'shutdown -c' to cancel.", stderr.Single());
        _lab.Pass(TimeSpan.FromSeconds(119));
        await _lab.MustAsync("worker-0", "true");
        _lab.Pass(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<HostUnreachableException>(() => _lab.RunAsync("worker-0", "true"));
    }

    [Fact]
    public async Task Rebooting_the_control_plane_hosts_one_by_one_leaves_a_healthy_cluster()
    {
        foreach (var host in new[] { "master-0", "master-1", "master-2" })
        {
            var (code, _, _) = await _lab.RunAsync(host, "sudo systemctl reboot");
            Assert.Equal(255, code);
            var down = _lab.Health();
            Assert.Contains(down.Problems, p => p.Code == "host-down" && p.Subject == host);
            Assert.DoesNotContain(down.Problems, p => p.Code is "etcd-quorum-lost" or "api-unreachable");
            await _lab.WaitUntilAsync($"{host} rebooted and the cluster healthy", () => _lab.Health().Healthy);
        }
        var members = await _lab.MustAsync("master-0", "sudo crictl exec $(sudo crictl ps --name etcdctl -q) etcdctl member list -w table");
        Assert.Equal(3, members.Count(l => l.Contains("started", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_host_lost_while_rebooting_does_not_come_back_by_itself()
    {
        await _lab.RunAsync("master-2", "sudo systemctl reboot");
        _lab.Model.LoseHost("master-2");
        _lab.Pass(TimeSpan.FromMinutes(5));
        await Assert.ThrowsAsync<HostUnreachableException>(() => _lab.RunAsync("master-2", "true"));
        Assert.Contains(_lab.Health().Problems, p => p.Code == "host-down" && p.Subject == "master-2");
    }
}
