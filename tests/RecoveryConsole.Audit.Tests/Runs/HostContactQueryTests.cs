using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Tests.Runs;

public sealed class HostContactQueryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static Run RunOn(string cluster, DateTimeOffset at, params (string Host, string Title, int? ExitCode, int Minutes)[] steps)
    {
        var run = new Run("p", "Procedure", "sha256:x", cluster, isDrill: false, "{}", "alice", at);
        run.MoveTo(RunStatus.Running, at);
        var i = 0;
        foreach (var (host, title, exit, minutes) in steps)
        {
            var step = run.StepOn($"s{i++}", host, title);
            step.Start(at.AddMinutes(minutes));
            step.Finish(exit is null ? StepStatus.Failed : StepStatus.Succeeded, at.AddMinutes(minutes).AddSeconds(5), "done", exitCode: exit);
        }
        return run;
    }

    [Fact]
    public async Task Each_host_gets_the_newest_command_that_came_back_with_an_exit_code_on_runs_of_that_cluster_only()
    {
        await using var store = await TestStore.CreateAsync();
        var contacts = store.Services.GetRequiredService<IHostContacts>();
        var older = RunOn("prod", T0, ("master-0", "Back up etcd", 0, 0), ("master-1", "Back up etcd", 0, 1));
        // A later run: master-0 answered with a failing exit code (it was there), master-1 never answered (no exit code).
        var newer = RunOn("prod", T0.AddHours(1), ("master-0", "Stop etcd", 1, 0), ("master-1", "Stop etcd", null, 2));
        // Another cluster with hosts of the same names, even later: not this cluster's hosts.
        var other = RunOn("staging", T0.AddHours(2), ("master-0", "Elsewhere", 0, 0), ("master-1", "Elsewhere", 0, 0));
        foreach (var r in new[] { older, newer, other }) await store.Runs.AddAsync(r, None);

        var last = await contacts.LastAnsweredAsync("prod", ["master-0", "master-1", "master-2"], None);

        Assert.Equal(T0.AddHours(1).AddSeconds(5), last["master-0"].At);
        Assert.Equal("Stop etcd", last["master-0"].StepTitle);
        Assert.Equal(newer.Id, last["master-0"].RunId);
        Assert.Equal(T0.AddMinutes(1).AddSeconds(5), last["master-1"].At); // the unanswered attempt does not count
        Assert.Equal(older.Id, last["master-1"].RunId);
        Assert.False(last.ContainsKey("master-2"));
    }
}
