namespace RecoveryConsole.Lab.Tests.Ocp4;

/// <summary>The kubelet and static pod manifests: a manifest moved out stops its pod after the grace periods; back in, it starts.</summary>
[Trait("Category", "Lab")]
public sealed class StaticPodLifecycleTests
{
    private readonly Ocp4Harness _lab = new();

    private async Task<List<string>> RunningAsync(string host, string filter) =>
        (await _lab.MustAsync(host, $"sudo crictl ps | grep {filter} | egrep -v \"operator|guard\"")).ToList();

    [Fact]
    public async Task Moving_the_kube_apiserver_manifest_out_stops_it_only_after_its_shutdown_delay()
    {
        var output = await _lab.MustAsync("master-1", "sudo mv -v /etc/kubernetes/manifests/kube-apiserver-pod.yaml /tmp");
        Assert.Equal(["renamed '/etc/kubernetes/manifests/kube-apiserver-pod.yaml' -> '/tmp/kube-apiserver-pod.yaml'"], output);
        Assert.NotEmpty(await RunningAsync("master-1", "kube-apiserver")); // still shutting down

        _lab.Pass(TimeSpan.FromSeconds(60));
        Assert.Contains(await RunningAsync("master-1", "kube-apiserver"), l => l.Contains(" kube-apiserver ", StringComparison.Ordinal));
        _lab.Pass(TimeSpan.FromSeconds(61));
        var (code, stdout, _) = await _lab.RunAsync("master-1", "sudo crictl ps | grep kube-apiserver | egrep -v \"operator|guard\"");
        Assert.Equal((1, 0), (code, stdout.Count));
        // The others still serve the API.
        Assert.Equal(200, (await _lab.ApiAsync("GET", "/api/v1/nodes")).Status);
    }

    [Fact]
    public async Task Moving_the_manifest_back_starts_a_new_pod()
    {
        var before = Assert.Single(await _lab.MustAsync("master-2", "sudo crictl ps --label io.kubernetes.container.name=kube-scheduler -q"));
        await _lab.MustAsync("master-2", "sudo mv /etc/kubernetes/manifests/kube-scheduler-pod.yaml /tmp");
        _lab.Pass(TimeSpan.FromSeconds(5));
        Assert.Empty(await _lab.MustAsync("master-2", "sudo crictl ps --label io.kubernetes.container.name=kube-scheduler -q"));

        await _lab.MustAsync("master-2", "sudo mv /tmp/kube-scheduler-pod.yaml /etc/kubernetes/manifests/");
        var created = await _lab.MustAsync("master-2", "sudo crictl ps -a --state created --name '^kube-scheduler$'");
        Assert.Equal(2, created.Count); // header and the new container, not yet running
        _lab.Pass(TimeSpan.FromSeconds(5));
        var after = Assert.Single(await _lab.MustAsync("master-2", "sudo crictl ps --label io.kubernetes.container.name=kube-scheduler -q"));
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task Stopping_all_kube_apiservers_makes_the_api_unreachable()
    {
        foreach (var host in new[] { "master-0", "master-1", "master-2" })
            await _lab.MustAsync(host, "sudo mv /etc/kubernetes/manifests/kube-apiserver-pod.yaml /tmp");
        _lab.Pass(TimeSpan.FromMinutes(3));

        var error = await Assert.ThrowsAsync<RecoveryConsole.Orchestration.Transports.ApiUnreachableException>(() => _lab.ApiAsync("GET", "/version"));
        Assert.Contains("dial tcp 192.0.2.5:6443: connect: connection refused", error.Message);
        var health = _lab.Health();
        Assert.True(health.Has("api-unreachable"));
        Assert.Equal(3, health.Of("static-pod-missing").Count(p => p.Message.StartsWith("kube-apiserver", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_etcd_that_lost_its_data_directory_cannot_rejoin_and_crash_loops()
    {
        await _lab.MustAsync("master-2", "sudo mv /etc/kubernetes/manifests/etcd-pod.yaml /tmp");
        _lab.Pass(TimeSpan.FromMinutes(1));
        await _lab.MustAsync("master-2", "sudo mv -v /var/lib/etcd/ /tmp");
        await _lab.MustAsync("master-2", "sudo mv /tmp/etcd-pod.yaml /etc/kubernetes/manifests/");
        _lab.Pass(TimeSpan.FromMinutes(3));

        var problem = _lab.Health().Of("etcd-crashloop").Single();
        Assert.Equal("master-2", problem.Subject);
        Assert.Contains("has already started once but its data directory /var/lib/etcd/member is missing", problem.Message);
        Assert.Equal(200, (await _lab.ApiAsync("GET", "/api/v1/nodes")).Status); // two of three keep quorum
    }
}
