using System.Diagnostics;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Hosts;

[Trait("Category", "Lab")]
public sealed class LabHostTransportTests
{
    private readonly LabHost _master0 = new("master-0", "192.0.2.10", [HostRoles.ControlPlane]);
    private readonly LabHost _master1 = new("master-1", "192.0.2.11", [HostRoles.ControlPlane]);
    private readonly LabHostTransport _transport;

    public LabHostTransportTests()
    {
        _master1.FileSystem.WriteFile("/etc/kubernetes/manifests/etcd-pod.yaml", "etcd\n");
        _transport = new LabHostTransport([_master0, _master1],
            new LabShell(LabCommandRegistry.CreateDefault(), new LabClock(TimeProvider.System, 1)));
    }

    [Fact]
    public async Task Runs_the_command_against_the_named_hosts_state()
    {
        var sink = new RecordingSink();
        var code = await _transport.RunAsync(_master1.ToHostInfo(), "hostname; ls /etc/kubernetes/manifests", sink, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Equal(["master-1", "etcd-pod.yaml"], sink.Stdout);

        sink = new RecordingSink();
        code = await _transport.RunAsync(_master0.ToHostInfo(), "ls /etc/kubernetes/manifests", sink, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Empty(sink.Stdout);
    }

    [Fact]
    public async Task An_unreachable_host_throws_and_runs_nothing()
    {
        _master0.Reachable = false;
        var sink = new RecordingSink();
        var e = await Assert.ThrowsAsync<HostUnreachableException>(
            () => _transport.RunAsync(_master0.ToHostInfo(), "echo hi > /tmp/ran", sink, CancellationToken.None));
        Assert.Equal("master-0", e.Host);
        Assert.Contains("No route to host", e.Reason);
        Assert.Equal(0, sink.Count);
        Assert.False(_master0.FileSystem.FileExists("/tmp/ran"));

        _master0.Reachable = true;
        Assert.Equal(0, await _transport.RunAsync(_master0.ToHostInfo(), "true", sink, CancellationToken.None));
    }

    [Fact]
    public async Task A_host_outside_the_lab_is_unreachable()
    {
        var stranger = new HostInfo("db-0", "192.0.2.99", [HostRoles.Worker]);
        var e = await Assert.ThrowsAsync<HostUnreachableException>(
            () => _transport.RunAsync(stranger, "true", new RecordingSink(), CancellationToken.None));
        Assert.Equal("db-0", e.Host);
    }

    [Fact]
    public async Task Cancellation_ends_a_running_command_promptly()
    {
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new RecordingSink(_ => started.TrySetResult());
        var run = _transport.RunAsync(_master0.ToHostInfo(), "echo waiting; sleep 300; echo never", sink, cts.Token);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the command is inside its sleep now
        var stopwatch = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Equal(["waiting"], sink.Stdout);
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var sink = new RecordingSink();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _transport.RunAsync(_master0.ToHostInfo(), "echo hi", sink, cts.Token));
        Assert.Equal(0, sink.Count);
    }
}
