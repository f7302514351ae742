using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Commands;

/// <summary>
/// Stopping a command must stop it on the host. The test sshd runs on this machine, so the remote processes are
/// visible to pgrep: each test gives its sleep a unique duration and checks that no such process is left.
/// </summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class CancellationTests(SshFixture fixture)
{
    [Fact]
    public async Task Cancelling_kills_the_remote_command_and_its_children()
    {
        await using var transport = fixture.Transport();
        var marker = LocalProcesses.UniqueSleep();
        var sink = new CollectingSink();
        using var cancel = new CancellationTokenSource();

        var run = transport.RunAsync(fixture.Host, $"echo started; sh -c 'sleep {marker}; echo never'; echo never", sink, cancel.Token);
        await sink.Seen("started");
        Assert.True(await LocalProcesses.EventuallyAsync(() => LocalProcesses.Sleeping(marker).Count > 0), "the remote sleep never started");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(LocalProcesses.Sleeping(marker));
        Assert.DoesNotContain("never", sink.Stdout);
        Assert.Contains(sink.System, l => l.Contains("sent SIGTERM to its process group", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_that_ignores_SIGTERM_gets_SIGKILL()
    {
        await using var transport = fixture.Transport();
        var marker = LocalProcesses.UniqueSleep();
        var sink = new CollectingSink();
        using var cancel = new CancellationTokenSource();

        var run = transport.RunAsync(fixture.Host, $"trap '' TERM; echo started; sleep {marker}", sink, cancel.Token);
        await sink.Seen("started");
        Assert.True(await LocalProcesses.EventuallyAsync(() => LocalProcesses.Sleeping(marker).Count > 0), "the remote sleep never started");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(LocalProcesses.Sleeping(marker));
        Assert.Contains(sink.System, l => l.Contains("sent SIGKILL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_a_sudo_prefixed_command_stops_it_on_the_host()
    {
        await using var transport = fixture.Transport();
        var marker = LocalProcesses.UniqueSleep();
        var sink = new CollectingSink();
        using var cancel = new CancellationTokenSource();

        var run = transport.RunAsync(fixture.Host, $"echo started; sudo -E sleep {marker}", sink, cancel.Token);
        await sink.Seen("started");
        Assert.True(await LocalProcesses.EventuallyAsync(() => LocalProcesses.Sleeping(marker).Count > 0), "the remote sleep never started");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(LocalProcesses.Sleeping(marker));
    }

    [Fact]
    public async Task The_command_timeout_stops_the_remote_command()
    {
        await using var transport = fixture.Transport(fixture.Profile() with { CommandTimeout = TimeSpan.FromSeconds(2) });
        var marker = LocalProcesses.UniqueSleep();
        var sink = new CollectingSink();

        var e = await Assert.ThrowsAsync<RemoteCommandTimeoutException>(() =>
            transport.RunAsync(fixture.Host, $"echo started; sleep {marker}", sink, CancellationToken.None));

        Assert.Equal("master-0", e.Host);
        Assert.Contains("did not finish within 2s", e.Message, StringComparison.Ordinal);
        Assert.Contains("the command ended", e.StopReport, StringComparison.Ordinal);
        Assert.Equal(["started"], sink.Stdout);
        Assert.Empty(LocalProcesses.Sleeping(marker));
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_runs_nothing()
    {
        await using var transport = fixture.Transport();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            transport.RunAsync(fixture.Host, "echo should-not-run", new CollectingSink(), cancel.Token));
    }

    [Fact]
    public async Task A_sink_that_fails_stops_the_remote_command_and_its_error_surfaces()
    {
        await using var transport = fixture.Transport();
        var marker = LocalProcesses.UniqueSleep();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            transport.RunAsync(fixture.Host, $"echo boom; sleep {marker}", new ThrowingSink("boom"), CancellationToken.None));

        Assert.Equal("sink refused 'boom'", e.Message);
        Assert.Empty(LocalProcesses.Sleeping(marker));
    }

    private sealed class ThrowingSink(string trigger) : Orchestration.Transports.IOutputSink
    {
        public void Line(Orchestration.Transports.OutputStream stream, string text)
        {
            if (text == trigger) throw new InvalidOperationException($"sink refused '{text}'");
        }
    }
}
