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
        Assert.Equal(2, lines.Count(l => l.Text.StartsWith("Not yet: ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Text == "Condition met after 3 check(s).");
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
