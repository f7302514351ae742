using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Parameters;

namespace RecoveryConsole.Orchestration.Tests.Engine;

public sealed class StepKindTests
{
    [Fact]
    public async Task A_run_step_sends_the_rendered_command_to_its_host_and_succeeds_on_exit_zero()
    {
        var hosts = new ScriptedHosts().When("cluster-backup.sh", 0, "snapshot db and kube resources are successfully saved to /home/core/assets/backup");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: backup
                title: Back up
                section: "5.2 step 1"
                on: recoveryHost
                run: { command: "/usr/local/bin/cluster-backup.sh {{ backupDir }}", sudo: true, preserveEnv: true }
                expect: { outputMatches: "successfully saved" }
            """, parameters: "  - { name: backupDir, type: path, default: '/home/core/assets/my backup' }"));

        var id = await engine.StartRunAsync(parameters: new() { ["recoveryHost"] = "m1" });
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Equal([new SentCommand("m1", "sudo -E /usr/local/bin/cluster-backup.sh '/home/core/assets/my backup'")], hosts.Sent);
        var onHost = run.FindStep("backup", "m1")!;
        Assert.Equal(StepStatus.Succeeded, onHost.Status);
        Assert.Equal(0, onHost.ExitCode);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("backup")!.Status);
        var lines = await engine.TranscriptAsync(id);
        Assert.Contains(lines, l => l is { Stream: OutputStream.Stdout, Host: "m1", StepPath: "backup" } && l.Text.Contains("successfully saved"));
        Assert.Contains(lines, l => l.Stream == OutputStream.System && l.Text == "$ sudo -E /usr/local/bin/cluster-backup.sh '/home/core/assets/my backup'");
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Sequence));
    }

    [Fact]
    public async Task A_failing_command_fails_the_run_and_nothing_after_it_is_sent()
    {
        var hosts = new ScriptedHosts().When("false-step", (_, _, o, _) =>
        {
            o.Line(OutputStream.Stderr, "Error: unhealthy cluster");
            return Task.FromResult(1);
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: one, title: One, section: "1", on: recoveryHost, run: "false-step" }
              - { id: two, title: Two, section: "2", on: recoveryHost, run: "never-sent" }
            """));

        var id = await engine.StartRunAsync();
        var run = await engine.WaitForStatusAsync(id, RunStatus.Failed);

        Assert.Equal(0, hosts.Count("never-sent"));
        Assert.Contains("exit code 1", run.StatusReason);
        Assert.Equal(1, run.FindStep("one", "m0")!.ExitCode);
        Assert.Null(run.FindStep("two"));
        var lines = await engine.TranscriptAsync(id);
        Assert.Contains(lines, l => l.Stream == OutputStream.Stderr && l.Text == "Error: unhealthy cluster");
    }

    [Fact]
    public async Task A_retried_step_runs_again_after_a_failure_and_counts_its_attempts()
    {
        var calls = 0;
        var hosts = new ScriptedHosts().When("flaky", (_, _, _, _) => Task.FromResult(++calls < 3 ? 1 : 0));
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: flaky, title: Flaky, section: "1", on: recoveryHost, run: "flaky", retry: { attempts: 3, delay: 10ms } }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(3, hosts.Count("flaky"));
        Assert.Equal(3, run.FindStep("flaky", "m0")!.Attempts);
    }

    [Fact]
    public async Task A_command_that_exceeds_its_timeout_is_stopped_and_the_step_fails_saying_so()
    {
        var hosts = new ScriptedHosts().When("hang", ScriptedHosts.Hang);
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: slow, title: Slow, section: "1", on: recoveryHost, run: "hang", timeout: 300ms }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Contains("did not finish within 300ms", run.StatusReason);
        Assert.Single(hosts.Cancelled);
    }

    [Fact]
    public async Task An_unreachable_host_is_found_by_preflight_before_the_first_step_and_nothing_runs()
    {
        var hosts = new ScriptedHosts();
        hosts.Unreachable.Add("m0");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: one, title: One, section: "1", on: recoveryHost, run: "echo hi" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Contains("Preflight", run.StatusReason);
        Assert.Contains("m0", run.StatusReason);
        Assert.Contains("connection refused", run.StatusReason);
        Assert.Null(run.FindStep("one"));
        Assert.Empty(hosts.Sent);
    }

    [Fact]
    public async Task Preflight_probes_every_host_the_plan_targets_except_hosts_declared_lost()
    {
        var hosts = new ScriptedHosts();
        hosts.Unreachable.Add("m2");
        var yaml = TestProcedure.With("""
              - { id: each, title: Each, section: "4", forEach: { hosts: controlPlaneHosts, except: [recoveryHost, lost] }, run: "echo hi" }
            """, parameters: "  - { name: lost, type: hostList, from: controlPlaneHosts, required: false, preflight: false }");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), yaml);

        var failed = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);
        Assert.Contains("m2: connection refused", failed.StatusReason);
        Assert.Empty(hosts.Sent);

        var passed = await engine.WaitForStatusAsync(await engine.StartRunAsync(parameters: new() { ["lost"] = "m2" }), RunStatus.Succeeded);
        Assert.Equal(["m1"], hosts.CommandsOn("m1").Select(_ => "m1"));
        Assert.DoesNotContain(hosts.Probes, p => p.Host == "m2");
        Assert.Contains(hosts.Probes, p => p.Host == "m1");
        Assert.Equal(StepStatus.Succeeded, passed.FindStep("each")!.Status);
    }

    [Fact]
    public async Task A_false_condition_skips_the_step_and_a_true_one_runs_it()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: vip, title: VIP, section: "6", when: keepalived, on: recoveryHost, run: "ip addr" }
              - { id: proxy, title: Proxy, section: "7", when: proxy, on: recoveryHost, run: "export proxy" }
              - { id: ovn, title: OVN, section: "14", when: "networkType == 'OVNKubernetes' && !proxy", on: recoveryHost, run: "restart ovn" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(["ip addr", "restart ovn"], hosts.Sent.Select(s => s.Command));
        Assert.Equal(StepStatus.Skipped, run.FindStep("proxy")!.Status);
        Assert.Contains("proxy", run.FindStep("proxy")!.Message);
    }

    [Fact]
    public async Task A_condition_on_an_unknown_fact_fails_the_step_instead_of_guessing()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: ipi, title: IPI only, section: "15", when: "platform == 'IPI'", on: recoveryHost, run: "delete machine" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Contains("platform", run.StatusReason);
        Assert.Empty(hosts.Sent);
    }

    [Fact]
    public async Task A_failed_preflight_check_stops_the_run_before_any_step()
    {
        var hosts = new ScriptedHosts().When("test -d", 1);
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: restore, title: Restore, section: "8", on: recoveryHost, run: "cluster-restore.sh" }
            """, preflight: """
              - { id: backup-present, title: Backup present, on: recoveryHost, run: "test -d /home/core/assets/backup", failureMessage: "No backup directory on the recovery host." }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Contains("No backup directory on the recovery host.", run.StatusReason);
        Assert.Equal(0, hosts.Count("cluster-restore.sh"));
    }

    [Fact]
    public async Task Parameters_are_validated_before_a_run_exists()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: one, title: One, section: "1", on: recoveryHost, run: "echo" }
            """));

        var refused = await Assert.ThrowsAsync<ParameterValidationException>(() => engine.StartRunAsync(parameters: new() { ["recoveryHost"] = "w0" }));
        Assert.Contains("recoveryHost", refused.Message);

        Assert.Empty(await engine.Repository.ListAsync(new RunQuery(), CancellationToken.None));
    }
}
