using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>A failed or rejected run is retried with a new run and corrected values; the two name each other.</summary>
[Trait("Category", "Security")]
public sealed class RetryRunTests
{
    private static readonly string Yaml = TestProcedure.With("""
          - { id: restore, title: Restore, section: "8", destructive: true, on: recoveryHost, run: "cluster-restore.sh" }
        """);

    private static Task<Guid> RetryAsync(Support.Engine engine, Guid previous, Dictionary<string, string?> parameters, string procedure = "test") =>
        engine.Runs.StartAsync(new StartRunRequest(procedure, TestCluster.Name, parameters, PreviousRunId: previous), Support.Engine.Olivia, CancellationToken.None);

    [Fact]
    public async Task A_rejected_run_is_retried_with_corrected_values_and_the_runs_are_linked_and_audited()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), Yaml);
        var rejected = await engine.StartRunAsync(Support.Engine.Olivia, new() { ["recoveryHost"] = "m0" });
        await engine.WaitForStatusAsync(rejected, RunStatus.WaitingForApproval);
        await engine.Runs.RejectAsync(rejected, "restore", Support.Engine.Arjun, "wrong recovery host", CancellationToken.None);
        await engine.WaitForAsync(rejected, r => r.Status == RunStatus.Failed && !engine.Runs.IsActive(rejected), "failed and finished");

        var retry = await RetryAsync(engine, rejected, new() { ["recoveryHost"] = "m1" });
        await engine.WaitForStatusAsync(retry, RunStatus.WaitingForApproval);
        await engine.Runs.ApproveAsync(retry, "restore", Support.Engine.Arjun, null, CancellationToken.None);
        var done = await engine.WaitForStatusAsync(retry, RunStatus.Succeeded);

        Assert.Equal(rejected, done.PreviousRunId);
        Assert.Equal(rejected, RunView.From(done).PreviousRunId);
        Assert.Equal([new SentCommand("m1", "cluster-restore.sh")], hosts.Sent);
        var retries = await engine.Repository.ListAsync(new RunQuery { RetryOf = rejected }, CancellationToken.None);
        Assert.Equal([retry], retries.Select(r => r.Id));
        Assert.Empty(await engine.Repository.ListAsync(new RunQuery { RetryOf = retry }, CancellationToken.None));
        var created = (await engine.Audit.ListAsync(retry, CancellationToken.None)).Single(e => e.Kind == AuditKinds.RunCreated);
        Assert.Contains($"retry of run {rejected}", created.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_of_an_unknown_or_running_run_is_refused_in_words_audited_and_starts_nothing()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), Yaml);
        var unknown = Guid.NewGuid();

        var none = await Assert.ThrowsAsync<ArgumentException>(() => RetryAsync(engine, unknown, []));
        Assert.Equal($"There is no run {unknown} to retry.", none.Message);

        var waiting = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(waiting, RunStatus.WaitingForApproval);
        var active = await Assert.ThrowsAsync<ArgumentException>(() => RetryAsync(engine, waiting, []));
        Assert.Equal($"Run {waiting} is WaitingForApproval: only a failed, cancelled or interrupted run is retried with a new run.", active.Message);

        var runs = await engine.Repository.ListAsync(new RunQuery(), CancellationToken.None);
        Assert.Equal([waiting], runs.Select(r => r.Id));
        var audit = await engine.Audit.ListAsync(null, CancellationToken.None);
        Assert.Equal(2, audit.Count(e => e.Kind == AuditKinds.RunRefused && e.Detail.Contains(" retr", StringComparison.Ordinal)));
    }
}
