using RecoveryConsole.Transports.Ssh.Commands;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Commands;

public sealed class MarkedOutputTests
{
    private readonly CommandMarkers _markers = CommandMarkers.WithNonce("00ff");
    private readonly CollectingSink _sink = new();
    private readonly MarkedOutput _output;

    public MarkedOutputTests() => _output = new MarkedOutput(_sink, _markers);

    [Fact]
    public void The_wrapper_runs_the_quoted_command_in_a_subshell_between_two_markers()
    {
        Assert.Equal(
            "printf '%s_start %s\\n' __RC_00ff \"$$\"; ( eval 'echo '\\''hi'\\''' ); __rc_status=$?; printf '%s_exit %s\\n' __RC_00ff \"$__rc_status\"; exit \"$__rc_status\"",
            _markers.Wrap("echo 'hi'"));
    }

    [Fact]
    public void Markers_are_removed_and_the_exit_status_read()
    {
        _output.Stdout("from .bashrc");
        _output.Stderr("bashrc warning");
        _output.Stdout("__RC_00ff_start 4242");
        _output.Stdout("hello");
        _output.Stdout("__RC_00ff_exit 3");

        Assert.Equal(3, _output.Finish());
        Assert.Equal(4242, _output.ProcessGroup);
        Assert.Equal(["from .bashrc", "hello"], _sink.Stdout);
        Assert.Equal(["bashrc warning"], _sink.Stderr);
        Assert.True(_output.Started.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_last_line_without_newline_is_split_from_the_exit_marker()
    {
        _output.Stdout("__RC_00ff_start 99");
        _output.Stdout("partial__RC_00ff_exit 0");

        Assert.Equal(0, _output.Finish());
        Assert.Equal(["partial"], _sink.Stdout);
    }

    [Fact]
    public void A_marker_that_is_followed_by_more_output_was_output()
    {
        _output.Stdout("__RC_00ff_start 99");
        _output.Stdout("__RC_00ff_exit 7");
        _output.Stdout("more");

        Assert.Null(_output.Finish());
        Assert.Equal(["__RC_00ff_exit 7", "more"], _sink.Stdout);
    }

    [Fact]
    public void Stderr_before_the_start_is_kept_as_diagnostics()
    {
        _output.Stderr("ssh: connect to host 10.0.0.1 port 22: Connection refused");

        Assert.Null(_output.Finish());
        Assert.Null(_output.ProcessGroup);
        Assert.Empty(_sink.Stderr);
        Assert.Equal(["ssh: connect to host 10.0.0.1 port 22: Connection refused"], _output.EarlyStderr);
    }

    [Theory]
    [InlineData("__RC_00ff_start 1")]      // never signal init's group
    [InlineData("__RC_00ff_start -5")]
    [InlineData("__RC_00ff_start 12 34")]
    [InlineData("__RC_beef_start 1234")]   // another command's nonce
    public void Only_a_well_formed_start_marker_counts(string line)
    {
        _output.Stdout(line);

        Assert.Null(_output.ProcessGroup);
        Assert.Equal([line], _sink.Stdout);
    }
}
