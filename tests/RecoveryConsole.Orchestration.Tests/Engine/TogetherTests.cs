using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>
/// mode: together ("start the restore on all masters within a short period"): every host checked first, none started
/// when one does not answer, all released by one signal, the start skew written down and judged against maxSkew.
/// </summary>
[Trait("Category", "Security")]
public sealed partial class TogetherTests
{
    private const string Marker = "/home/core/restore-started";

    /// <summary>A manual step first (the test may cut a host off meanwhile), then the start on every master.</summary>
    private const string LabProcedure = """
        id: together
        title: Start the restore on all masters together
        source: { document: 003_28eb1c421f859d40.txt, section: "3.3.1" }
        steps:
          - id: staged
            title: The backup is staged on every master
            section: "3.3.1 step 4"
            manual: Copy the backup to every master.
          - id: restore
            title: Start the restore on all masters
            section: "3.3.1 step 6"
            forEach: { hosts: controlPlaneHosts, mode: together, maxSkew: 1s }
            run: "mkdir -p /home/core/restore-started"
        """;

    [GeneratedRegex(@"^Started on 3 host\(s\) within ([0-9.]+) ms \(run clock: [0-9.]+ ms; limit 1s\): master-\d \+0 ms, ")]
    private static partial Regex StartedLine();

    [Fact]
    [Trait("Category", "Lab")]
    public async Task In_the_lab_every_master_starts_and_the_skew_is_recorded_under_one_second()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [LabProcedure]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("together", []));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        foreach (var master in new[] { "master-0", "master-1", "master-2" })
        {
            Assert.True(drill.Cluster.Host(master).FileSystem.DirectoryExists(Marker), $"{master} did not run the command");
            Assert.Equal(StepStatus.Succeeded, run.FindStep("restore", master)!.Status);
        }
        var lines = await drill.TranscriptAsync(run.Id);
        var started = Assert.Single(lines, l => StartedLine().IsMatch(l.Text));
        var skew = (double)JsonNode.Parse(run.FindStep("restore")!.OutputsJson!)!["values"]!["startSkewMs"]!;
        Assert.InRange(skew, 0, 1000);
        // The line shows the recorded skew rounded for reading (two decimals under 10 ms, whole ms above): equal to that rounding.
        var shown = double.Parse(StartedLine().Match(started.Text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(shown - skew) <= (skew < 10 ? 0.005 : 0.5) + 1e-9, $"the line shows {shown} ms, the record {skew} ms");
        Assert.DoesNotContain(lines, l => l.Text.StartsWith("Warning: the hosts started", StringComparison.Ordinal));
        // The check came first on each host, before anything was started anywhere.
        Assert.Equal(3, lines.Count(l => l.StepPath == "restore" && l.Text.EndsWith(" ms).", StringComparison.Ordinal) && l.Text.Contains(" answers (")));
    }

    [Fact]
    [Trait("Category", "Lab")]
    public async Task In_the_lab_one_unreachable_master_means_none_starts_and_the_failure_names_it()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [LabProcedure]);
        // master-1 loses power after the run's own preflight, while the operator stages the backup.
        drill.Confirm = _ =>
        {
            drill.Cluster.Host("master-1").Reachable = false;
            return "backup copied";
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync("together", []));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("None started: master-1 is unreachable (ssh: connect to host 192.0.2.11 port 22: No route to host).", run.StatusReason);
        Assert.Contains("nothing was run on 3 host(s) (master-0, master-1, master-2)", run.StatusReason);
        foreach (var master in new[] { "master-0", "master-1", "master-2" })
        {
            Assert.False(drill.Cluster.Host(master).FileSystem.DirectoryExists(Marker), $"{master} ran the command");
            Assert.Null(run.FindStep("restore", master));
        }
        Assert.Equal(StepStatus.Failed, run.FindStep("restore")!.Status);
        var audit = await drill.Engine.Audit.ListAsync(run.Id, CancellationToken.None);
        Assert.DoesNotContain(audit, e => e.Kind == AuditKinds.CommandSent);
    }

    [Fact]
    public async Task No_host_is_sent_the_command_before_every_host_answered_the_check()
    {
        var checkedAt = new ConcurrentDictionary<string, long>();
        var sentAt = new ConcurrentDictionary<string, long>();
        var hosts = new ScriptedHosts()
            .When("true", async (h, c, _, ct) =>
            {
                if (c != "true") return 0;
                if (h.Name == "m2") await Task.Delay(400, ct); // the slow one
                checkedAt[h.Name] = Stopwatch.GetTimestamp();
                return 0;
            })
            .When("etcd-snapshot-restore.sh", (h, _, _, _) =>
            {
                sentAt[h.Name] = Stopwatch.GetTimestamp();
                return Task.FromResult(0);
            });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: restore, title: Restore, section: "3.3.1", forEach: { hosts: controlPlaneHosts, mode: together }, run: "etcd-snapshot-restore.sh" }
            """));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(["m0", "m1", "m2"], sentAt.Keys.Order());
        Assert.True(sentAt.Values.Min() > checkedAt["m2"], "a host was sent the command before the slow host answered its check");
        Assert.NotNull(JsonNode.Parse(run.FindStep("restore")!.OutputsJson!)!["values"]!["startSkewMs"]);
    }

    [Fact]
    public async Task A_host_that_does_not_answer_the_check_in_time_starts_nothing_anywhere()
    {
        var hosts = new ScriptedHosts()
            .When("true", async (h, c, _, ct) =>
            {
                if (c == "true" && h.Name == "m0") await Task.Delay(Timeout.Infinite, ct);
                return 0;
            });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: restore, title: Restore, section: "3.3.1", forEach: { hosts: controlPlaneHosts, mode: together }, run: "etcd-snapshot-restore.sh" }
            """), configure: o => o.TogetherCheckTimeout = TimeSpan.FromMilliseconds(300));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.StartsWith("None started: m0 did not answer within 300ms.", run.StatusReason);
        Assert.Equal(0, hosts.Count("etcd-snapshot-restore.sh"));
    }

    [Fact]
    public async Task A_skew_over_the_limit_is_a_warning_in_words_and_the_started_commands_keep_running()
    {
        // Every read of the run's clock moves it a second on: the hosts' recorded starts lie seconds apart.
        var clock = new SteppingClock(TimeSpan.FromSeconds(1));
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: restore, title: Restore, section: "3.3.1", forEach: { hosts: controlPlaneHosts, mode: together, maxSkew: 500ms }, run: "etcd-snapshot-restore.sh" }
            """), time: clock);

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(3, hosts.Count("etcd-snapshot-restore.sh"));
        var warning = Assert.Single(await engine.TranscriptAsync(run.Id), l => l.Text.StartsWith("Warning: the hosts started", StringComparison.Ordinal));
        Assert.Contains("more than the limit of 500ms", warning.Text);
        Assert.Contains("cannot be un-started", warning.Text);
    }

    /// <summary>A clock that moves on by a fixed step at every read; timers stay real.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _reads;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(step.Ticks * Interlocked.Increment(ref _reads));
    }
}
