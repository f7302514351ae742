using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Commands;

/// <summary>
/// Armed commands (mode: together): ready on the host, begun only when fired, and never begun when disarmed. The test
/// sshd runs on this machine, so what the remote shell did shows as files here.
/// </summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class ArmedCommandTests(SshFixture fixture) : IDisposable
{
    private readonly string _proof = Path.Combine(Path.GetTempPath(), "rc-armed-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task An_armed_command_waits_on_the_host_until_fired_then_runs_once_with_its_exit_code_and_output()
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        await using var armed = await transport.ArmAsync(fixture.Host, $"echo ran >> {_proof}; echo out; echo err >&2; exit 7", sink, CancellationToken.None);
        await Task.Delay(500); // time enough for a shell that did not wait to have run it
        Assert.False(File.Exists(_proof), "the command ran before it was fired");
        Assert.Empty(sink.Stdout);

        var exit = await armed.Fire();

        Assert.Equal(7, exit);
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(_proof));
        Assert.Equal(["out"], sink.Stdout);
        Assert.Equal(["err"], sink.Stderr);
        Assert.Throws<InvalidOperationException>(() => { _ = armed.Fire(); }); // thrown at the call, not by the task
    }

    [Fact]
    public async Task A_fired_command_reads_end_of_file_on_its_stdin_as_with_ssh_n()
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        await using var armed = await transport.ArmAsync(fixture.Host, "cat; echo after-cat", sink, CancellationToken.None);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exit = await armed.Fire().WaitAsync(limit.Token);

        Assert.Equal(0, exit);
        Assert.Equal(["after-cat"], sink.Stdout); // the "go" signal is not part of the command's input
    }

    [Fact]
    public async Task Disarming_runs_nothing_and_leaves_no_session_behind()
    {
        await using var transport = fixture.Transport();
        var marker = LocalProcesses.UniqueSleep();
        var armed = await transport.ArmAsync(fixture.Host, $"touch {_proof}; sleep {marker}", new CollectingSink(), CancellationToken.None);
        Assert.True(await LocalProcesses.EventuallyAsync(() => LocalProcesses.Matching($"__RC_.*sleep {Regex.Escape(marker)}").Count > 0),
            "no local ssh holds the armed command");

        await armed.DisposeAsync();

        Assert.False(File.Exists(_proof), "a disarmed command ran");
        Assert.Empty(LocalProcesses.Matching($"sleep {Regex.Escape(marker)}"));
        Assert.Throws<InvalidOperationException>(() => { _ = armed.Fire(); }); // thrown at the call, not by the task
    }

    [Fact]
    public async Task Cancelling_a_fired_command_stops_it_on_the_host()
    {
        await using var transport = fixture.Transport();
        var marker = LocalProcesses.UniqueSleep();
        var sink = new CollectingSink();
        using var cancel = new CancellationTokenSource();
        await using var armed = await transport.ArmAsync(fixture.Host, $"echo started; sleep {marker}", sink, cancel.Token);

        var run = armed.Fire();
        await sink.Seen("started");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(LocalProcesses.Sleeping(marker));
        Assert.Contains(sink.System, l => l.Contains("sent SIGTERM to its process group", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_host_that_cannot_be_reached_is_unreachable_when_arming_and_nothing_is_left_running()
    {
        var port = SshdServer.FreePort();
        await using var transport = fixture.Transport(fixture.Profile() with { Port = port, ReuseConnections = false });

        var e = await Assert.ThrowsAsync<HostUnreachableException>(() =>
            transport.ArmAsync(fixture.Host, $"touch {_proof}", new CollectingSink(), CancellationToken.None));

        var failure = Assert.IsType<SshConnectionException>(e.InnerException);
        Assert.Equal(SshFailureKind.Unreachable, failure.Kind);
        Assert.Contains($"127.0.0.1:{port} refused the connection", e.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(_proof));
    }

    public void Dispose() => File.Delete(_proof);
}
