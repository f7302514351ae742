using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>
/// mode: together with a transport that can arm (SSH): every host's command is armed before any is fired, each fired
/// once; a host that cannot be armed means every armed host is disarmed and nothing runs anywhere.
/// </summary>
[Trait("Category", "Security")]
public sealed class TogetherArmingTests
{
    private const string Step = """
          - { id: restore, title: Restore, section: "3.3.1", forEach: { hosts: controlPlaneHosts, mode: together }, run: "etcd-snapshot-restore.sh" }
        """;

    [Fact]
    public async Task Every_host_is_armed_before_any_is_fired_and_each_is_fired_once()
    {
        var hosts = new ArmingHosts(new ScriptedHosts());
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Step));

        await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        var events = hosts.Events.ToList();
        var lastArmed = events.FindLastIndex(e => e.StartsWith("armed ", StringComparison.Ordinal));
        var firstFired = events.FindIndex(e => e.StartsWith("fired ", StringComparison.Ordinal));
        Assert.True(lastArmed < firstFired, "a host was fired before every host was armed: " + string.Join(", ", events));
        Assert.Equal(["fired m0", "fired m1", "fired m2"], events.Where(e => e.StartsWith("fired ", StringComparison.Ordinal)).Order());
        Assert.DoesNotContain(events, e => e.StartsWith("disarmed ", StringComparison.Ordinal));
        Assert.Equal(3, hosts.Inner.Count("etcd-snapshot-restore.sh"));
    }

    [Fact]
    public async Task A_host_that_cannot_be_armed_means_every_armed_host_is_disarmed_and_nothing_runs()
    {
        var hosts = new ArmingHosts(new ScriptedHosts()) { FailToArm = "m1" };
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(Step));

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Failed);

        Assert.Equal(0, hosts.Inner.Count("etcd-snapshot-restore.sh"));
        Assert.DoesNotContain(hosts.Events, e => e.StartsWith("fired ", StringComparison.Ordinal));
        Assert.Equal(["disarmed m0", "disarmed m2"], hosts.Events.Where(e => e.StartsWith("disarmed ", StringComparison.Ordinal)).Order());
        Assert.Contains("m1: the session closed while arming. Nothing was run there.", run.StatusReason, StringComparison.Ordinal);
        Assert.Contains("Not started: m1 could not get ready (the session closed while arming)", run.StatusReason, StringComparison.Ordinal);
        foreach (var host in new[] { "m0", "m1", "m2" })
            Assert.Equal(StepStatus.Failed, run.FindStep("restore", host)!.Status);
    }

    /// <summary>Arms by recording it (m1 slowest, so the others wait armed); fires through the scripted hosts.</summary>
    private sealed class ArmingHosts(ScriptedHosts inner) : IArmableHostTransport
    {
        public ScriptedHosts Inner => inner;
        public ConcurrentQueue<string> Events { get; } = new();
        public string? FailToArm { get; init; }

        public Task<int> RunAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken) =>
            inner.RunAsync(host, command, output, cancellationToken);

        public async Task<IArmedCommand> ArmAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken)
        {
            if (host.Name == "m1") await Task.Delay(200, cancellationToken);
            if (host.Name == FailToArm) throw new HostUnreachableException(host.Name, "the session closed while arming");
            Events.Enqueue("armed " + host.Name);
            return new Armed(this, host, command, output, cancellationToken);
        }

        private sealed class Armed(ArmingHosts hosts, HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken) : IArmedCommand
        {
            private bool _fired;

            public Task<int> Fire()
            {
                _fired = true;
                hosts.Events.Enqueue("fired " + host.Name);
                return hosts.Inner.RunAsync(host, command, output, cancellationToken);
            }

            public ValueTask DisposeAsync()
            {
                if (!_fired) hosts.Events.Enqueue("disarmed " + host.Name);
                return ValueTask.CompletedTask;
            }
        }
    }
}
