namespace RecoveryConsole.Lab.Tests.Shell;

[Trait("Category", "Lab")]
public sealed class ShellSyntaxTests
{
    private readonly ShellHarness _shell = new();

    [Fact]
    public async Task Single_quotes_keep_everything_literal()
    {
        var (code, sink) = await _shell.RunAsync(@"echo 'a  b $x \n ""q""'");
        Assert.Equal(0, code);
        Assert.Equal([@"a  b $x \n ""q"""], sink.Stdout);
    }

    [Fact]
    public async Task Double_quotes_allow_backslash_escapes_of_quote_dollar_and_backslash_only()
    {
        var (_, sink) = await _shell.RunAsync(@"echo ""say \""hi\"" \$HOME \\ \n""");
        Assert.Equal([@"say ""hi"" $HOME \ \n"], sink.Stdout);
    }

    [Fact]
    public async Task Backslash_outside_quotes_escapes_the_next_character()
    {
        var (_, sink) = await _shell.RunAsync(@"echo a\ \ b \; c\|d");
        Assert.Equal(["a  b ; c|d"], sink.Stdout);
    }

    [Fact]
    public async Task Adjacent_quoted_parts_form_one_word_and_empty_quotes_an_empty_argument()
    {
        var (_, sink) = await _shell.RunAsync(@"printf '[%s]\n' ab'c d'""e"" """" x");
        Assert.Equal(["[abc de]", "[]", "[x]"], sink.Stdout);
    }

    [Fact]
    public async Task Semicolons_and_newlines_run_commands_in_sequence_and_the_last_status_counts()
    {
        var (code, sink) = await _shell.RunAsync("echo one; false\n\necho two ; false");
        Assert.Equal(1, code);
        Assert.Equal(["one", "two"], sink.Stdout);
    }

    [Theory]
    [InlineData("true && echo yes", "yes", 0)]
    [InlineData("false && echo yes", "", 1)]
    [InlineData("false || echo fallback", "fallback", 0)]
    [InlineData("true || echo never", "", 0)]
    [InlineData("false && echo a || echo b", "b", 0)]
    [InlineData("true && false || echo recovered", "recovered", 0)]
    [InlineData("false || false && echo skipped", "", 1)]
    public async Task And_or_lists_are_left_associative_like_bash(string script, string expected, int expectedCode)
    {
        var (code, sink) = await _shell.RunAsync(script);
        Assert.Equal(expectedCode, code);
        Assert.Equal(expected, string.Join("|", sink.Stdout));
    }

    [Theory]
    [InlineData("echo 'unterminated", "bash: unexpected EOF while looking for matching `''")]
    [InlineData("echo a |", "bash: syntax error: unexpected end of file")]
    [InlineData("; echo a", "bash: syntax error near unexpected token `;'")]
    [InlineData("echo a && && echo b", "bash: syntax error near unexpected token `&&'")]
    [InlineData("echo >", "bash: syntax error near unexpected token `newline'")]
    public async Task Syntax_errors_exit_2_with_a_bash_message(string script, string message)
    {
        var (code, sink) = await _shell.RunAsync(script);
        Assert.Equal(2, code);
        Assert.Equal([message], sink.Stderr);
        Assert.Empty(sink.Stdout);
    }

    [Fact]
    public async Task Sudo_and_its_flags_are_ignored()
    {
        var (code, sink) = await _shell.RunAsync("sudo -E echo as root && sudo hostname");
        Assert.Equal(0, code);
        Assert.Equal(["as root", "master-0"], sink.Stdout);
    }

    [Fact]
    public async Task Unknown_command_prints_command_not_found_and_exits_127()
    {
        var (code, sink) = await _shell.RunAsync("oc get nodes");
        Assert.Equal(127, code);
        Assert.Equal(["bash: oc: command not found"], sink.Stderr);
    }

    [Fact]
    public async Task Exit_ends_the_script_with_its_code()
    {
        var (code, sink) = await _shell.RunAsync("echo before; exit 3; echo after");
        Assert.Equal(3, code);
        Assert.Equal(["before"], sink.Stdout);
    }

    [Fact]
    public async Task Exit_without_argument_uses_the_last_status_and_is_taken_modulo_256()
    {
        Assert.Equal(1, (await _shell.RunAsync("false; exit")).Code);
        Assert.Equal(1, (await _shell.RunAsync("exit 257")).Code);
    }

    [Fact]
    public async Task Exit_inside_a_pipeline_ends_only_its_stage()
    {
        var (code, sink) = await _shell.RunAsync("exit 5 | echo still; echo running");
        Assert.Equal(0, code);
        Assert.Equal(["still", "running"], sink.Stdout);
    }
}
