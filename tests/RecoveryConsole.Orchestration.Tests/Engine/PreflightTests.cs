using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>Preflight tries every host the plan will touch, those named by action arguments too, before anything runs.</summary>
public sealed class PreflightTests
{
    [Fact]
    public async Task A_host_only_an_action_names_is_checked_too_and_when_unreachable_the_start_is_refused_naming_it()
    {
        var hosts = new ScriptedHosts();
        hosts.Unreachable.Add("m2");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: one, title: One, section: "1", on: recoveryHost, run: "echo hi" }
              - id: copy
                title: Copy the kubeconfig to the target
                section: "2"
                action:
                  name: copyFile
                  with: { fromHost: "{{ recoveryHost }}", path: /etc/kubeconfig, toHost: "{{ target }}", toPath: /etc/kubeconfig }
            """, parameters: "  - { name: target, type: host, from: controlPlaneHosts }"));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(parameters: new() { ["target"] = "m2" }), RunStatus.Failed);

        Assert.Contains("Preflight: 1 of 2 target host(s) cannot be used: m2: connection refused", run.StatusReason, StringComparison.Ordinal);
        Assert.Empty(hosts.Sent);
        Assert.Null(run.FindStep("one"));
        Assert.Null(run.FindStep("copy"));
        Assert.Contains(hosts.Probes, p => p.Host == "m0");
    }

    [Fact]
    public async Task Action_hosts_of_each_host_of_a_loop_are_checked()
    {
        var hosts = new ScriptedHosts();
        hosts.Unreachable.Add("w0");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: each
                title: Each worker
                section: "3"
                forEach: { hosts: workers }
                action: { name: waitForHostReady, with: { host: "{{ host.name }}", every: 1s, timeout: 2s } }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Contains("w0: connection refused", run.StatusReason, StringComparison.Ordinal);
        Assert.Null(run.FindStep("each"));
    }
}
