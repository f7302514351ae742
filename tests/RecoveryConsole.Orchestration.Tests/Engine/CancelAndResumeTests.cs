using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

public sealed class CancelAndResumeTests
{
    private const string ThreeSteps = """
          - { id: one, title: One, section: "1", on: recoveryHost, run: "step-one" }
          - { id: two, title: Two, section: "2", on: recoveryHost, run: "step-two" }
          - { id: three, title: Three, section: "3", on: recoveryHost, run: "step-three" }
        """;

    /// <summary>step-two hangs the first time it is sent and succeeds after that.</summary>
    private static ScriptedHosts HangingOnceAtStepTwo()
    {
        var sent = 0;
        return new ScriptedHosts().When("step-two", (h, c, o, ct) => Interlocked.Increment(ref sent) == 1
            ? ScriptedHosts.Hang(h, c, o, ct)
            : Task.FromResult(0));
    }

    [Fact]
    public async Task Cancelling_stops_the_running_command_and_nothing_after_it_runs()
    {
        var hosts = HangingOnceAtStepTwo();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(ThreeSteps));
        var id = await engine.StartRunAsync();
        await engine.WaitForAsync(id, r => r.FindStep("two", "m0")?.Status == StepStatus.Running, "step two running");

        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "wrong cluster", CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Cancelled, seconds: 5);

        Assert.Equal([new SentCommand("m0", "step-two")], hosts.Cancelled);
        Assert.Equal(0, hosts.Count("step-three"));
        Assert.Equal(StepStatus.Cancelled, run.FindStep("two", "m0")!.Status);
        Assert.Equal("Cancelled by olivia: wrong cluster", run.StatusReason);
    }

    [Fact]
    public async Task Cancelling_a_run_that_waits_for_approval_withdraws_the_request()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
            """));
        var id = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "not needed", CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Cancelled);

        Assert.Equal(ApprovalDecision.Withdrawn, Assert.Single(run.Approvals).Decision);
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None));
        Assert.Empty(hosts.Sent);
    }

    [Fact]
    public async Task A_restart_interrupts_the_run_and_a_confirmed_resume_reruns_only_the_cut_off_step()
    {
        var hosts = HangingOnceAtStepTwo();
        var clusters = new TestCluster(hosts, new NoApi());
        var folder = Support.Engine.NewFolder();
        Guid id;
        await using (var first = await Support.Engine.StartAsync(clusters, TestProcedure.With(ThreeSteps), folder))
        {
            id = await first.StartRunAsync();
            await first.WaitForAsync(id, r => r.FindStep("two", "m0")?.Status == StepStatus.Running, "step two running");
            await first.StopAsync(); // the console stops under the run
        }

        await using var second = await Support.Engine.StartInAsync(folder, clusters);
        var interrupted = await second.WaitForStatusAsync(id, RunStatus.Interrupted);
        Assert.Equal(StepStatus.Succeeded, interrupted.FindStep("one", "m0")!.Status);
        Assert.Equal(StepStatus.Interrupted, interrupted.FindStep("two", "m0")!.Status);

        await Assert.ThrowsAsync<ArgumentException>(() => second.Runs.ResumeAsync(id, Support.Engine.Olivia, "", CancellationToken.None));
        await second.Runs.ResumeAsync(id, Support.Engine.Olivia, "checked: restore script had not started", CancellationToken.None);
        var run = await second.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Equal((1, 2, 1), (hosts.Count("step-one"), hosts.Count("step-two"), hosts.Count("step-three")));
        Assert.Equal(2, run.FindStep("two", "m0")!.Attempts);
        var lines = await second.TranscriptAsync(id);
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Sequence));
        Assert.Contains(lines, l => l.Stream == OutputStream.System && l.Text.Contains("The console stopped while the run was active", StringComparison.Ordinal));
        var audit = await second.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.RunResumed && e.Actor == "olivia" && e.Detail.Contains("checked: restore script had not started"));
    }

    [Fact]
    public async Task A_run_found_active_at_start_up_is_marked_interrupted_never_continued()
    {
        var hosts = new ScriptedHosts();
        var clusters = new TestCluster(hosts, new NoApi());
        var folder = Support.Engine.NewFolder();
        Guid id;
        await using (var first = await Support.Engine.StartAsync(clusters, TestProcedure.With(ThreeSteps), folder))
        {
            // What a killed process leaves behind: a run saved as Running with a step in flight.
            var run = new Run("test", "Test procedure", first.Catalog.Find("test")!.VersionHash, TestCluster.Name, false, "{\"recoveryHost\":\"m0\"}", "olivia", DateTimeOffset.UtcNow);
            run.MoveTo(RunStatus.Running, DateTimeOffset.UtcNow);
            run.StepOn("one", "", "One").Start(DateTimeOffset.UtcNow);
            await first.Repository.AddAsync(run, CancellationToken.None);
            id = run.Id;
        }

        await using var second = await Support.Engine.StartInAsync(folder, clusters);
        var found = await second.WaitForStatusAsync(id, RunStatus.Interrupted);

        Assert.Equal(StepStatus.Interrupted, found.FindStep("one")!.Status);
        await Task.Delay(100);
        Assert.Empty(hosts.Sent);
    }

    [Fact]
    public async Task A_resumed_destructive_step_asks_for_approval_again()
    {
        var sent = 0;
        var hosts = new ScriptedHosts().When("cluster-restore.sh", (h, c, o, ct) => Interlocked.Increment(ref sent) == 1
            ? ScriptedHosts.Hang(h, c, o, ct) : Task.FromResult(0));
        var clusters = new TestCluster(hosts, new NoApi());
        var folder = Support.Engine.NewFolder();
        var yaml = TestProcedure.With("""
              - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
            """);
        Guid id;
        await using (var first = await Support.Engine.StartAsync(clusters, yaml, folder))
        {
            id = await first.StartRunAsync();
            await first.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
            await first.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None);
            await first.WaitForAsync(id, r => r.FindStep("restore", "m0")?.Status == StepStatus.Running, "restore running");
        }

        await using var second = await Support.Engine.StartInAsync(folder, clusters);
        await second.Runs.ResumeAsync(id, Support.Engine.Olivia, "restore pod never started", CancellationToken.None);
        await second.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        Assert.Equal(1, hosts.Count("cluster-restore.sh"));

        await second.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "checked again", CancellationToken.None);
        var run = await second.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(2, hosts.Count("cluster-restore.sh"));
        Assert.Equal(2, run.Approvals.Count(a => a.Decision == ApprovalDecision.Approved));
    }

    [Fact]
    public async Task A_resume_of_a_per_host_group_continues_with_the_host_that_was_cut_off()
    {
        var sent = 0;
        var hosts = new ScriptedHosts().When("mv", (h, c, o, ct) => h.Name == "m2" && Interlocked.Increment(ref sent) == 1
            ? ScriptedHosts.Hang(h, c, o, ct) : Task.FromResult(0));
        var clusters = new TestCluster(hosts, new NoApi());
        var folder = Support.Engine.NewFolder();
        var yaml = TestProcedure.With("""
              - id: stop
                title: Stop static pods
                section: "4"
                forEach: { hosts: controlPlaneHosts }
                steps:
                  - { id: move, title: Move, section: "4.2", run: "mv etcd-pod.yaml /tmp" }
                  - { id: check, title: Check, section: "4.3", run: "check" }
            """);
        Guid id;
        await using (var first = await Support.Engine.StartAsync(clusters, yaml, folder))
        {
            id = await first.StartRunAsync();
            await first.WaitForAsync(id, r => r.FindStep("stop[m2]/move", "m2")?.Status == StepStatus.Running, "m2 moving");
        }
        await using var second = await Support.Engine.StartInAsync(folder, clusters);
        await second.Runs.ResumeAsync(id, Support.Engine.Olivia, "m2 manifest still in place", CancellationToken.None);
        await second.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Equal(["mv etcd-pod.yaml /tmp", "check"], hosts.CommandsOn("m0"));
        Assert.Equal(["mv etcd-pod.yaml /tmp", "check"], hosts.CommandsOn("m1"));
        Assert.Equal(["mv etcd-pod.yaml /tmp", "mv etcd-pod.yaml /tmp", "check"], hosts.CommandsOn("m2"));
    }

    [Fact]
    public async Task A_second_run_on_a_cluster_with_an_active_run_is_refused()
    {
        var hosts = new ScriptedHosts().When("step-one", ScriptedHosts.Hang);
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(ThreeSteps));
        var id = await engine.StartRunAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => engine.StartRunAsync());

        Assert.Contains(id.ToString(), refused.Message);
        Assert.Single(await engine.Repository.ListAsync(new RunQuery(), CancellationToken.None));
        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "test over", CancellationToken.None);
    }
}
