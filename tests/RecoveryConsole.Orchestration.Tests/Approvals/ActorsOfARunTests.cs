using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Approvals;

/// <summary>Four-eyes counts everyone who drove a run, not only its starter: a resumer, a confirmer, an answerer.</summary>
[Trait("Category", "Security")]
public sealed class ActorsOfARunTests
{
    private const string Restore = """
          - { id: restore, title: Run the restore script, section: "5.3.2.2 step 8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
        """;

    /// <summary>step-one fails the first time and succeeds after that: the run fails, and a resume goes on.</summary>
    private static ScriptedHosts FailingOnceAtStepOne()
    {
        var sent = 0;
        return new ScriptedHosts().When("step-one", (_, _, _, _) => Task.FromResult(Interlocked.Increment(ref sent) == 1 ? 1 : 0));
    }

    [Fact]
    public async Task Whoever_resumed_the_run_cannot_approve_it_and_the_request_names_them_even_after_a_restart()
    {
        var hosts = FailingOnceAtStepOne();
        var clusters = new TestCluster(hosts, new NoApi());
        var folder = Support.Engine.NewFolder();
        var yaml = TestProcedure.With("""
              - { id: one, title: One, section: "1", on: recoveryHost, run: "step-one" }
            """ + "\n" + Restore);
        Guid id;
        await using (var first = await Support.Engine.StartAsync(clusters, yaml, folder))
        {
            id = await first.StartRunAsync(Support.Engine.Olivia);
            await first.WaitForAsync(id, r => r.Status == RunStatus.Failed && !first.Runs.IsActive(id), "failed and finished");
            await first.Runs.ResumeAsync(id, Support.Engine.OperatorApprover, "step one failed on a transient error", CancellationToken.None);
            var waiting = await first.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
            Assert.Equal("oscar", Assert.Single(waiting.Approvals).RequestedBy);

            var refused = await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
                first.Runs.ApproveAsync(id, "restore", Support.Engine.OperatorApprover, "looks fine", CancellationToken.None));
            Assert.Contains("oscar drove this run", refused.Message);
            Assert.Equal(0, hosts.Count("cluster-restore.sh"));
        }

        // Who drove the run is stored with it: after a restart and another resume, oscar is still one of them.
        await using var second = await Support.Engine.StartInAsync(folder, clusters);
        await second.WaitForStatusAsync(id, RunStatus.Interrupted);
        await second.Runs.ResumeAsync(id, Support.Engine.Olivia, "console restarted while waiting for approval", CancellationToken.None);
        var again = await second.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        Assert.Equal("olivia", again.Approvals.Last().RequestedBy);
        await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            second.Runs.ApproveAsync(id, "restore", Support.Engine.OperatorApprover, null, CancellationToken.None));

        await second.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, "backup checked", CancellationToken.None);
        await second.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(1, hosts.Count("cluster-restore.sh"));
        var audit = await second.Audit.ListAsync(id, CancellationToken.None);
        Assert.Equal(2, audit.Count(e => e.Kind == AuditKinds.ApprovalRefused && e.Actor == "oscar"));
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.ApprovalDecided && e.Actor == "oscar");
    }

    [Fact]
    public async Task Whoever_confirmed_a_manual_step_cannot_approve_the_destructive_step_after_it()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: dns, title: Update DNS, section: "3.1 step 9", manual: "Point api.<cluster> at the new control-plane hosts." }
            """ + "\n" + Restore));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForOperator);
        await engine.Runs.ConfirmAsync(id, "dns", Support.Engine.OperatorApprover, "records updated", CancellationToken.None);
        var waiting = await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);
        Assert.Equal("oscar", Assert.Single(waiting.Approvals).RequestedBy);

        var refused = await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAsync(id, "restore", Support.Engine.OperatorApprover, null, CancellationToken.None));

        Assert.Contains("drove this run", refused.Message);
        Assert.Empty(hosts.Sent);
        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
    }

    [Fact]
    public async Task Whoever_answered_a_question_cannot_approve_the_destructive_step_that_uses_the_answer()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - id: pick
                title: Pick the backup
                section: "2"
                input: { name: backup, prompt: "Which backup?", type: choice, options: [monday, tuesday] }
              - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh {{ backup }}" }
            """));
        var id = await engine.StartRunAsync(Support.Engine.Olivia);
        await engine.WaitForAsync(id, r => r.FindStep("pick")?.Status == StepStatus.WaitingForOperator, "the question");
        await engine.Runs.ProvideInputAsync(id, "pick", Support.Engine.OperatorApprover, ["tuesday"], CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        await Assert.ThrowsAsync<ApprovalRefusedException>(() =>
            engine.Runs.ApproveAsync(id, "restore", Support.Engine.OperatorApprover, null, CancellationToken.None));

        Assert.Empty(hosts.Sent);
        await engine.Runs.ApproveAsync(id, "restore", Support.Engine.Arjun, null, CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(["cluster-restore.sh tuesday"], hosts.CommandsOn("m0"));
    }
}
