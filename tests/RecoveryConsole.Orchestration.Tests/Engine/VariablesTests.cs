using System.Text.Json;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>Values that move through a run: captures, items, operator input, secrets; kept across a resume.</summary>
public sealed class VariablesTests
{
    [Fact]
    public async Task What_a_host_captures_is_used_by_its_own_later_steps_and_not_by_the_next_hosts()
    {
        var hosts = new ScriptedHosts()
            .When("ip -o address", (h, _, o, _) =>
            {
                if (h.Name == "m1") o.Line(OutputStream.Stdout, "2: br-ex    inet 192.0.2.5/32 scope global br-ex");
                return Task.FromResult(h.Name == "m1" ? 0 : 1);
            });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: per-host
                title: Per host
                section: "4"
                forEach: { hosts: controlPlaneHosts, except: recoveryHost }
                steps:
                  - id: list
                    title: List
                    run: "ip -o address | egrep 192.0.2.5"
                    expect: { exitCode: any }
                    capture: { vips: { regex: '^\d+:\s+(?<device>\S+)\s+inet\s+(?<address>\S+)', all: true } }
                  - id: delete
                    title: Delete
                    forEach: { items: vips, as: vip, key: address }
                    run: "sudo ip address del {{ vip.address }} dev {{ vip.device }}"
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Contains("sudo ip address del 192.0.2.5/32 dev br-ex", hosts.CommandsOn("m1"));
        Assert.DoesNotContain(hosts.CommandsOn("m2"), c => c.Contains("ip address del", StringComparison.Ordinal));
        Assert.Equal(StepStatus.Succeeded, run.FindStep("per-host[m1]/delete[192.0.2.5_32]", "m1")!.Status);
        var stored = JsonDocument.Parse(run.FindStep("per-host[m1]/list", "m1")!.OutputsJson!).RootElement;
        Assert.Equal("per-host[m1]", stored.GetProperty("layer").GetString());
        Assert.Equal("br-ex", stored.GetProperty("values").GetProperty("vips")[0].GetProperty("device").GetString());
    }

    [Fact]
    public async Task A_resumed_run_has_the_values_captured_before_the_interruption_and_does_not_capture_again()
    {
        var folder = Support.Engine.NewFolder();
        var failOnce = 1;
        var hosts = new ScriptedHosts()
            .When("cat /version", 0, "4.16.12")
            .When("use", (_, _, _, _) => Task.FromResult(Interlocked.Exchange(ref failOnce, 0) == 1 ? 1 : 0));
        var yaml = TestProcedure.With("""
              - { id: read, title: Read, section: "1", on: recoveryHost, run: "cat /version", capture: { version: output } }
              - { id: use, title: Use, section: "2", on: recoveryHost, run: "use {{ version }}" }
            """);
        Guid id;
        await using (var first = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), yaml, folder))
        {
            id = await first.StartRunAsync();
            await first.WaitForStatusAsync(id, RunStatus.Failed);
        }
        await using var second = await Support.Engine.StartInAsync(folder, new TestCluster(hosts, new NoApi()));
        await second.Runs.ResumeAsync(id, Support.Engine.Olivia, "use failed on a transient error", CancellationToken.None);
        await second.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Equal(1, hosts.Count("cat /version"));
        Assert.Equal(["use 4.16.12", "use 4.16.12"], hosts.CommandsOn("m0").Where(c => c.StartsWith("use", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_input_refuses_answers_outside_its_options_and_the_chosen_values_become_a_list()
    {
        var hosts = new ScriptedHosts().When("list", 0, "csr-a", "csr-b", "csr-c");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: list, title: List, section: "1", on: recoveryHost, run: "list", capture: { csrs: lines } }
              - id: choose
                title: Choose
                section: "2"
                input: { name: chosen, prompt: "Approve which?", type: multiChoice, options: { from: csrs }, preselect: "option != 'csr-c'" }
              - { id: approve, title: Approve, section: "3", on: recoveryHost, run: "approve {{ chosen }}" }
            """));
        var id = await engine.StartRunAsync();
        var waiting = await engine.WaitForAsync(id, r => r.FindStep("choose")?.Status == StepStatus.WaitingForOperator, "the question");
        var request = InputRequest.Parse(waiting.FindStep("choose")!.InputRequestJson)!;
        Assert.Equal([("csr-a", true), ("csr-b", true), ("csr-c", false)], request.Options.Select(o => (o.Value, o.Selected)));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.ProvideInputAsync(id, "choose", Support.Engine.Olivia, ["csr-a", "csr-z"], CancellationToken.None));
        Assert.Equal("Not among the options: csr-z.", refused.Message);
        await Assert.ThrowsAsync<RecoveryConsole.Orchestration.Approvals.NotAllowedException>(() => engine.Runs.ProvideInputAsync(id, "choose", Support.Engine.Vera, ["csr-a"], CancellationToken.None));
        await engine.Runs.ProvideInputAsync(id, "choose", Support.Engine.Olivia, ["csr-a", "csr-c"], CancellationToken.None);

        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Contains("approve csr-a csr-c", hosts.CommandsOn("m0"));
        Assert.Equal(("olivia", "csr-a, csr-c"), (run.FindStep("choose")!.ConfirmedBy, run.FindStep("choose")!.Note));
    }

    [Fact]
    public async Task A_secret_parameter_is_sent_but_stored_masked_and_never_printed()
    {
        var hosts = new ScriptedHosts().When("login", (_, c, o, _) =>
        {
            o.Line(OutputStream.Stdout, "echoing " + c);
            return Task.FromResult(0);
        });
        var yaml = TestProcedure.With("""
              - { id: login, title: Login, section: "1", on: recoveryHost, run: "login -p {{ password }}" }
            """, parameters: "  - { name: password, type: string, secret: true }");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), yaml);

        var id = await engine.StartRunAsync(parameters: new() { ["password"] = "kubeadmin-S3cret-pass" });
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Contains("login -p kubeadmin-S3cret-pass", hosts.CommandsOn("m0"));
        Assert.DoesNotContain("S3cret", run.ParametersJson);
        Assert.DoesNotContain("S3cret", run.FindStep("login", "m0")!.Command);
        Assert.DoesNotContain(await engine.TranscriptAsync(id), l => l.Text.Contains("S3cret", StringComparison.Ordinal));
        Assert.DoesNotContain(await engine.Audit.ListAsync(id, CancellationToken.None), e => e.Detail.Contains("S3cret", StringComparison.Ordinal));
    }
}
