using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>Expectations read the stream the procedure names, and a retry is judged on its own output.</summary>
public sealed class ExpectStreamTests
{
    private static ScriptedHosts.Behaviour HealthOnStderr(string verdict) => (_, _, output, _) =>
    {
        // As etcdctl endpoint health does: nothing on stdout, the verdict on stderr.
        output.Line(OutputStream.Stderr, $"https://192.0.2.10:2379 {verdict}");
        return Task.FromResult(0);
    };

    [Fact]
    public async Task A_verdict_printed_on_stderr_is_found_with_stream_stderr_and_missed_on_stdout_saying_which_was_read()
    {
        var hosts = new ScriptedHosts().When("endpoint health", HealthOnStderr("is healthy: successfully committed proposal"));
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: on-stderr, title: Health on stderr, section: "1", on: recoveryHost, run: "etcdctl endpoint health", expect: { stream: stderr, outputMatches: "is healthy" } }
              - { id: on-stdout, title: Health on stdout, section: "2", on: recoveryHost, run: "etcdctl endpoint health", expect: { outputMatches: "is healthy" } }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Equal(StepStatus.Succeeded, run.FindStep("on-stderr")!.Status);
        Assert.Contains("stdout does not match 'is healthy'", run.FindStep("on-stdout")!.Message);
    }

    [Fact]
    public async Task A_retry_is_judged_on_its_own_output_not_on_the_failed_attempt_before_it()
    {
        var attempts = 0;
        var hosts = new ScriptedHosts().When("etcdctl member list", (_, _, output, _) =>
        {
            output.Line(OutputStream.Stdout, ++attempts == 1 ? "Error: context deadline exceeded" : "8e9e05c52164694d, started, etcd-0");
            return Task.FromResult(attempts == 1 ? 1 : 0);
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: members, title: Members, section: "1", on: recoveryHost, run: "etcdctl member list", retry: { attempts: 3, delay: 10ms }, expect: { outputNotMatches: "Error" } }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(2, attempts);
        Assert.Equal(StepStatus.Succeeded, run.FindStep("members")!.Status);
    }
}
