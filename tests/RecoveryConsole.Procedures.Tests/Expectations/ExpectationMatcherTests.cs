using RecoveryConsole.Procedures.Expectations;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Expectations;

public sealed class ExpectationMatcherTests
{
    private const string EtcdBody = """
        {"status": {"latestAvailableRevision": 7, "conditions": [
          {"type": "NodeInstallerProgressing", "reason": "Foo", "message": "2 nodes are at revision 6; 1 nodes are at revision 7"}]}}
        """;

    private static ExpectationResult Check(Expectation e, ProbeOutcome outcome) => ExpectationMatcher.Check(e, outcome);

    [Fact]
    public void A_wrong_exit_code_fails()
    {
        Assert.Equal(new ExpectationResult(false, "exit code 1, expected 0"), Check(Expectation.Success, ProbeOutcome.FromCommand(1, "")));
    }

    [Fact]
    public void A_right_exit_code_holds()
    {
        Assert.Equal(new ExpectationResult(true, "exit code 0"), Check(Expectation.Success, ProbeOutcome.FromCommand(0, "anything")));
    }

    [Fact]
    public void Output_that_should_be_empty_reports_its_line_count()
    {
        var result = Check(new Expectation { OutputIsEmpty = true }, ProbeOutcome.FromCommand(1, "etcd 1\netcd 2\netcd 3\n"));

        Assert.Equal(new ExpectationResult(false, "stdout is not empty (3 lines)"), result);
    }

    [Fact]
    public void White_space_counts_as_empty_output()
    {
        Assert.True(Check(new Expectation { OutputIsEmpty = true }, ProbeOutcome.FromCommand(1, " \n\t\n")).Holds);
    }

    [Fact]
    public void Output_that_should_not_be_empty()
    {
        Assert.Equal(new ExpectationResult(false, "stdout is empty, expected some output"),
            Check(new Expectation { OutputIsEmpty = false }, ProbeOutcome.FromCommand(0, "")));
    }

    [Theory]
    [InlineData("^Running$", "etcd\nRunning\nother", true)]
    [InlineData("^Running$", "etcd Running", false)]
    [InlineData("revision 7", "3 nodes are at revision 7", true)]
    public void Output_matches_is_multiline(string pattern, string output, bool holds)
    {
        var result = Check(new Expectation { OutputMatches = pattern }, ProbeOutcome.FromCommand(0, output));

        Assert.Equal(holds, result.Holds);
        if (!holds)
            Assert.Equal($"stdout does not match '{pattern}'", result.Explanation);
    }

    [Fact]
    public void Output_not_matches_quotes_the_offending_line()
    {
        var result = Check(new Expectation { OutputNotMatches = "useUnsupported" },
            ProbeOutcome.FromCommand(0, "spec:\n  useUnsupportedUnsafe: true\nstatus: {}"));

        Assert.Equal(new ExpectationResult(false, "stdout matches 'useUnsupported' ('  useUnsupportedUnsafe: true')"), result);
    }

    [Fact]
    public void A_catastrophic_pattern_times_out_instead_of_hanging()
    {
        var result = Check(new Expectation { OutputMatches = "^(a+)+$" }, ProbeOutcome.FromCommand(0, new string('a', 40) + "!"));

        Assert.Equal(new ExpectationResult(false, "matching '^(a+)+$' took longer than 1 s"), result);
    }

    [Fact]
    public void A_field_with_the_wrong_value_says_what_it_is()
    {
        var result = Check(new Expectation { Field = "status.conditions[type=X].reason", FieldEquals = "AllNodesAtLatestRevision" },
            ProbeOutcome.FromApi(200, EtcdBody.Replace("NodeInstallerProgressing", "X", StringComparison.Ordinal)));

        Assert.Equal(new ExpectationResult(false, "status.conditions[type=X].reason is 'Foo', expected 'AllNodesAtLatestRevision'"), result);
    }

    [Fact]
    public void A_field_with_the_right_value_holds()
    {
        var result = Check(new Expectation { Field = "status.latestAvailableRevision", FieldEquals = "7" }, ProbeOutcome.FromApi(200, EtcdBody));

        Assert.Equal(new ExpectationResult(true, "HTTP status 200, status.latestAvailableRevision is '7'"), result);
    }

    [Fact]
    public void A_missing_field_fails()
    {
        var result = Check(new Expectation { Field = "status.conditions[type=Gone].reason", FieldEquals = "x" }, ProbeOutcome.FromApi(200, EtcdBody));

        Assert.Equal(new ExpectationResult(false, "status.conditions[type=Gone].reason is missing, expected 'x'"), result);
    }

    [Fact]
    public void A_field_without_equals_only_has_to_exist()
    {
        Assert.True(Check(new Expectation { Field = "status.conditions" }, ProbeOutcome.FromApi(200, EtcdBody)).Holds);
        Assert.Equal("status.nope is missing", Check(new Expectation { Field = "status.nope" }, ProbeOutcome.FromApi(200, EtcdBody)).Explanation);
    }

    [Fact]
    public void A_field_of_output_that_is_not_json_fails()
    {
        Assert.Equal(new ExpectationResult(false, "stdout is not JSON, so status.x cannot be read"),
            Check(new Expectation { Field = "status.x", FieldEquals = "1" }, ProbeOutcome.FromCommand(0, "plain text")));
    }

    [Theory]
    [InlineData(200, true, "HTTP status 200")]
    [InlineData(204, true, "HTTP status 204")]
    [InlineData(404, false, "HTTP status 404, expected 2xx")]
    [InlineData(500, false, "HTTP status 500, expected 2xx")]
    [InlineData(302, false, "HTTP status 302, expected 2xx")]
    public void An_api_call_without_a_status_must_answer_2xx(int status, bool holds, string explanation)
    {
        Assert.Equal(new ExpectationResult(holds, explanation), Check(new Expectation(), ProbeOutcome.FromApi(status, "{}")));
    }

    [Fact]
    public void An_explicit_status_replaces_the_2xx_default()
    {
        Assert.True(Check(new Expectation { Status = 404 }, ProbeOutcome.FromApi(404, "")).Holds);
        Assert.Equal("HTTP status 200, expected 404", Check(new Expectation { Status = 404 }, ProbeOutcome.FromApi(200, "")).Explanation);
    }

    [Fact]
    public void An_exit_code_cannot_hold_for_an_api_answer()
    {
        Assert.Equal(new ExpectationResult(false, "no exit code (not a command), expected 0"), Check(Expectation.Success, ProbeOutcome.FromApi(200, "")));
    }

    [Fact]
    public void The_first_failing_part_explains()
    {
        var result = Check(new Expectation { ExitCode = 0, OutputMatches = "ok" }, ProbeOutcome.FromCommand(2, "not it"));

        Assert.Equal("exit code 2, expected 0", result.Explanation);
    }

    [Fact]
    public void Every_part_that_held_is_listed()
    {
        var result = Check(new Expectation { ExitCode = 0, OutputIsEmpty = false, OutputMatches = "ok", OutputNotMatches = "error" },
            ProbeOutcome.FromCommand(0, "ok"));

        Assert.Equal(new ExpectationResult(true, "exit code 0, stdout is not empty, stdout matches 'ok', stdout does not match 'error'"), result);
    }

    [Theory]
    [InlineData(OutputStreams.Stdout, false, "stdout does not match 'is healthy'")]
    [InlineData(OutputStreams.Stderr, true, "exit code 0, stderr matches 'is healthy'")]
    [InlineData(OutputStreams.Both, true, "exit code 0, output (stdout and stderr) matches 'is healthy'")]
    public void A_command_is_judged_on_the_stream_the_expectation_names_and_the_message_says_which(OutputStreams streams, bool holds, string explanation)
    {
        // etcdctl endpoint health prints its verdict on stderr.
        var outcome = ProbeOutcome.FromCommand(0, "", "https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 9.3ms\n");

        Assert.Equal(new ExpectationResult(holds, explanation), Check(new Expectation { ExitCode = 0, OutputMatches = "is healthy", Streams = streams }, outcome));
    }

    [Fact]
    public void Both_streams_are_read_together_for_a_forbidden_pattern()
    {
        var result = Check(new Expectation { OutputNotMatches = "unhealthy", Streams = OutputStreams.Both },
            ProbeOutcome.FromCommand(1, "member 1 ok\n", "member 2 is unhealthy: connection refused\n"));

        Assert.Equal(new ExpectationResult(false, "output (stdout and stderr) matches 'unhealthy' ('member 2 is unhealthy: connection refused')"), result);
    }

    [Fact]
    public void Long_values_are_shortened_in_explanations()
    {
        var body = $$"""{"a": "{{new string('x', 200)}}"}""";

        var result = Check(new Expectation { Field = "a", FieldEquals = "y" }, ProbeOutcome.FromApi(200, body));

        Assert.False(result.Holds);
        Assert.True(result.Explanation.Length < 120, result.Explanation);
        Assert.EndsWith("…', expected 'y'", result.Explanation, StringComparison.Ordinal);
    }
}
