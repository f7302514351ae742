namespace RecoveryConsole.Lab.Tests.Shell;

[Trait("Category", "Lab")]
public sealed class ShellRedirectionTests
{
    private readonly ShellHarness _shell = new();

    [Theory]
    [InlineData("echo oops >&2")]
    [InlineData("echo oops 1>&2")]
    [InlineData(">&2 echo oops")]
    public async Task Stdout_can_go_to_stderr(string script)
    {
        var (_, sink) = await _shell.RunAsync(script);
        Assert.Empty(sink.Stdout);
        Assert.Equal(["oops"], sink.Stderr);
    }

    [Fact]
    public async Task Stderr_can_go_to_stdout_and_into_a_pipe()
    {
        var (code, sink) = await _shell.RunAsync("cat /nope 2>&1 | grep -c 'No such file'");
        Assert.Equal(0, code);
        Assert.Equal(["1"], sink.Stdout);
        Assert.Empty(sink.Stderr);
    }

    [Fact]
    public async Task Dev_null_discards_and_the_status_is_kept()
    {
        var (code, sink) = await _shell.RunAsync("cat /nope 2>/dev/null");
        Assert.Equal(1, code);
        Assert.Equal(0, sink.Count);

        (code, sink) = await _shell.RunAsync("echo hidden >/dev/null");
        Assert.Equal(0, code);
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public async Task Redirections_apply_left_to_right()
    {
        // Both to /dev/null:
        var (_, silent) = await _shell.RunAsync("cat /nope >/dev/null 2>&1");
        Assert.Equal(0, silent.Count);

        // stderr goes where stdout was (the sink), then stdout is discarded:
        var (_, sink) = await _shell.RunAsync("cat /nope 2>&1 >/dev/null");
        Assert.Equal(["cat: /nope: No such file or directory"], sink.Stdout);
    }

    [Fact]
    public async Task Output_to_a_file_truncates_or_appends_and_input_reads_from_one()
    {
        var (code, sink) = await _shell.RunAsync("echo one > /tmp/f; echo two >> /tmp/f; wc -l < /tmp/f; cat /tmp/f");
        Assert.Equal(0, code);
        Assert.Equal(["2", "one", "two"], sink.Stdout);
        Assert.True(_shell.Host.FileSystem.TryReadFile("/tmp/f", out var content));
        Assert.Equal("one\ntwo\n", content);
    }

    [Fact]
    public async Task Writing_into_a_missing_directory_fails_without_running_the_command()
    {
        var (code, sink) = await _shell.RunAsync("echo x > /no/such/dir/file");
        Assert.Equal(1, code);
        Assert.Equal(["bash: /no/such/dir/file: No such file or directory"], sink.Stderr);
        Assert.Empty(sink.Stdout);
    }

    [Fact]
    public async Task Unfinished_lines_join_across_commands_and_are_flushed_at_the_end()
    {
        var (_, sink) = await _shell.RunAsync("printf 'a'; echo -n b; echo c; printf 'tail'");
        Assert.Equal(["abc", "tail"], sink.Stdout);
    }
}
