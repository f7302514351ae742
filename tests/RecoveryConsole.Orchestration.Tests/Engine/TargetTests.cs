using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

public sealed class TargetTests
{
    [Fact]
    public async Task Each_host_in_turn_runs_one_host_after_the_other_and_leaves_out_the_excepted_host()
    {
        var running = 0;
        var overlapped = false;
        var hosts = new ScriptedHosts().When("mv -v", async (_, _, _, ct) =>
        {
            if (Interlocked.Increment(ref running) > 1) overlapped = true;
            await Task.Delay(50, ct);
            Interlocked.Decrement(ref running);
            return 0;
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: stop-etcd
                title: Stop etcd elsewhere
                section: "5.3.2.2 step 4"
                forEach: { hosts: controlPlaneHosts, except: recoveryHost, mode: sequential }
                run: "mv -v /etc/kubernetes/manifests/etcd-pod.yaml /tmp"
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(parameters: new() { ["recoveryHost"] = "m1" }), RunStatus.Succeeded);

        Assert.Equal(["m0", "m2"], hosts.Sent.Select(s => s.Host));
        Assert.False(overlapped);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("stop-etcd", "m0")!.Status);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("stop-etcd", "m2")!.Status);
        Assert.Null(run.FindStep("stop-etcd", "m1"));
    }

    [Fact]
    public async Task All_hosts_at_once_really_runs_them_concurrently()
    {
        // Each command waits until all three have started: run one after the other, this would time out.
        var started = new CountdownEvent(3);
        var hosts = new ScriptedHosts().When("restart kubelet", async (_, _, _, ct) =>
        {
            started.Signal();
            await Task.Run(() => started.Wait(TimeSpan.FromSeconds(10), ct), ct);
            return started.IsSet ? 0 : 1;
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: kubelet, title: Restart kubelet, section: "10", forEach: { hosts: controlPlaneHosts, mode: parallel }, run: "restart kubelet" }
            """));

        await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(["m0", "m1", "m2"], hosts.Sent.Select(s => s.Host).Order());
    }

    [Fact]
    public async Task All_at_once_lets_every_host_finish_and_reports_each_failed_host()
    {
        var hosts = new ScriptedHosts().When("check", (h, _, _, _) => Task.FromResult(h.Name == "m0" ? 0 : 3));
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: check, title: Check, section: "1", forEach: { hosts: controlPlaneHosts, mode: parallel }, run: "check" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Equal(3, hosts.Sent.Count);
        Assert.Contains("m1", run.StatusReason);
        Assert.Contains("m2", run.StatusReason);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("check", "m0")!.Status);
    }

    [Fact]
    public async Task A_per_host_group_runs_its_children_on_each_host_with_the_host_in_scope()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: per-host
                title: Per host
                section: "4"
                forEach: { hosts: controlPlaneHosts, except: recoveryHost }
                steps:
                  - { id: first, title: First, section: "4.1", run: "first on {{ host.name }} at {{ host.address }}" }
                  - { id: second, title: Second, section: "4.2", run: "second on {{ host }}" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(
        [
            new SentCommand("m1", "first on m1 at 127.0.0.1"), new SentCommand("m1", "second on m1"),
            new SentCommand("m2", "first on m2 at 127.0.0.1"), new SentCommand("m2", "second on m2"),
        ], hosts.Sent);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("per-host[m2]/second", "m2")!.Status);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("per-host", "m1")!.Status);
        var lines = await engine.TranscriptAsync(run.Id);
        Assert.Contains(lines, l => l.StepPath == "per-host[m2]/first" && l.Host == "m2" && l.Stream == OutputStream.Stdout);
    }
}
