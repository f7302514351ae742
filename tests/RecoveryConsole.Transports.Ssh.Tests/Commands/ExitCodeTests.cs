using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Commands;

[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class ExitCodeTests(SshFixture fixture)
{
    [Theory]
    [InlineData("true", 0)]
    [InlineData("exit 3", 3)]
    [InlineData("echo done; exit 255", 255)]       // ssh also exits 255 on its own failures: this one is the command's
    [InlineData("sh -c 'exit 255'", 255)]
    [InlineData("exec false", 1)]                   // exec cannot skip the exit marker
    [InlineData("if then fi", 2)]                   // a syntax error is an ordinary exit status, not a lost session
    [InlineData("sh -c 'kill -9 $$'", 137)]         // a child killed by a signal: 128 + 9
    public async Task The_remote_exit_status_is_returned(string command, int expected)
    {
        await using var transport = fixture.Transport();

        var exit = await transport.RunAsync(fixture.Host, command, new CollectingSink(), CancellationToken.None);

        Assert.Equal(expected, exit);
    }

    [Fact]
    public async Task Exit_255_keeps_the_output_and_is_not_an_ssh_failure()
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        var exit = await transport.RunAsync(fixture.Host, "echo partial >&2; printf last; exit 255", sink, CancellationToken.None);

        Assert.Equal(255, exit);
        Assert.Equal(["last"], sink.Stdout);
        Assert.Equal(["partial"], sink.Stderr);
    }

    [Fact]
    public async Task A_killed_remote_shell_is_reported_as_lost_not_as_exit_255()
    {
        // $$ is the wrapper's login shell: killing it means no exit status ever arrives.
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<RemoteCommandLostException>(() =>
            transport.RunAsync(fixture.Host, "echo started; kill -9 $$", new CollectingSink(), CancellationToken.None));

        Assert.Equal("master-0", e.Host);
        Assert.Contains("Check the host before retrying", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sudo_prefixed_commands_pass_through_unchanged()
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        var exit = await transport.RunAsync(fixture.Host, "sudo -E sh -c 'echo as-root; exit 4'", sink, CancellationToken.None);

        Assert.Equal(4, exit);
        Assert.Equal(["as-root"], sink.Stdout);
    }
}
