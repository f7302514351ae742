using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Engine;

public sealed class ManualStepTests
{
    [Fact]
    public async Task A_manual_step_waits_for_the_operator_and_keeps_the_note()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: dns, title: Update DNS, section: "3.1 step 9", manual: "Point api.<cluster> at the new control-plane hosts." }
              - { id: after, title: After, section: "3.1 step 10", on: recoveryHost, run: "echo after" }
            """));
        var id = await engine.StartRunAsync();
        var waiting = await engine.WaitForStatusAsync(id, RunStatus.WaitingForOperator);
        Assert.Equal("Point api.<cluster> at the new control-plane hosts.", waiting.FindStep("dns")!.Message);

        await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.ConfirmAsync(id, "dns", Support.Engine.Olivia, "  ", CancellationToken.None));
        await Assert.ThrowsAsync<RecoveryConsole.Orchestration.Approvals.NotAllowedException>(() =>
            engine.Runs.ConfirmAsync(id, "dns", Support.Engine.Vera, "done", CancellationToken.None));
        Assert.Empty(hosts.Sent);

        await engine.Runs.ConfirmAsync(id, "dns", Support.Engine.Olivia, "Route53 records updated to 10.0.0.5-7", CancellationToken.None);
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        var dns = run.FindStep("dns")!;
        Assert.Equal(("olivia", "Route53 records updated to 10.0.0.5-7", StepStatus.Succeeded), (dns.ConfirmedBy, dns.Note, dns.Status));
        Assert.Single(hosts.Sent);
    }
}
