using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

public sealed class WaitTests
{
    private const string WaitForEtcdGone = """
          - id: wait-etcd
            title: Wait until etcd stopped
            section: "5.3.2.2 step 4.3"
            on: recoveryHost
            wait: { run: "crictl ps | grep etcd | egrep -v 'operator|etcd-guard'", until: { outputIsEmpty: true }, every: 20ms, timeout: 3s }
        """;

    [Fact]
    public async Task A_wait_polls_until_the_output_is_empty()
    {
        var polls = 0;
        var hosts = new ScriptedHosts().When("crictl ps", (_, _, o, _) =>
        {
            if (++polls < 3) o.Line(OutputStream.Stdout, "3ad41b7908e32  etcd  Running");
            return Task.FromResult(polls < 3 ? 0 : 1);
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(WaitForEtcdGone));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(3, polls);
        var lines = await engine.TranscriptAsync(run.Id);
        // The same reason twice is said once; the first check and the deciding one are shown in full, the one between is not.
        Assert.Single(lines, l => l.Text.StartsWith("Not yet (check 1): stdout is not empty (1 line)", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.Text.StartsWith("$ crictl ps", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Text == "Condition met after 3 check(s).");
        // Every check's command is audited all the same.
        var audit = await engine.Audit.ListAsync(run.Id, CancellationToken.None);
        Assert.Equal(["check 1", "check 2", "check 3"], audit.Where(e => e.Kind == Audit.AuditKinds.CommandSent)
            .Select(e => System.Text.RegularExpressions.Regex.Match(e.Detail, @"\((check \d+)\)$").Groups[1].Value));
    }

    [Fact]
    public async Task A_wait_shows_one_live_status_line_on_its_step_while_it_checks()
    {
        var polls = 0;
        var hosts = new ScriptedHosts().When("crictl ps", (_, _, o, _) =>
        {
            o.Line(OutputStream.Stdout, $"3ad41b7908e32  etcd  Running  {++polls}");
            return Task.FromResult(0);
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()),
            TestProcedure.With(WaitForEtcdGone.Replace("every: 20ms, timeout: 3s", "every: 200ms, timeout: 30s")));

        var id = await engine.StartRunAsync();
        var running = await engine.WaitForAsync(id, r => r.Steps.Any(s => s.Message?.StartsWith("Check 3: not yet: stdout is not empty", StringComparison.Ordinal) == true),
            "the third check's status on the step");

        var status = running.Steps.Single(s => s.Message?.StartsWith("Check 3", StringComparison.Ordinal) == true).Message!;
        Assert.Matches(@"Next check in 200ms; gives up in \d", status);
        await engine.Runs.CancelAsync(id, Support.Engine.Olivia, "enough", CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.Cancelled);
        var lines = await engine.TranscriptAsync(id);
        Assert.True(lines.Count < 15, $"{lines.Count} transcript lines for {polls} checks: " + string.Join(" | ", lines.Select(l => l.Text)));
    }

    [Fact]
    public async Task A_wait_that_never_holds_times_out_with_what_it_last_saw()
    {
        var hosts = new ScriptedHosts().When("crictl ps", 0, "3ad41b7908e32  etcd  Running");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(WaitForEtcdGone.Replace("timeout: 3s", "timeout: 200ms")));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.StartsWith("Timed out after 200ms waiting until the output is empty", run.StatusReason);
        Assert.True(hosts.Count("crictl ps") >= 2);
    }
}
