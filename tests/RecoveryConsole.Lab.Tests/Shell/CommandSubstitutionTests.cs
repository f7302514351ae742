using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Lab.Tests.Ocp4;

namespace RecoveryConsole.Lab.Tests.Shell;

[Trait("Category", "Lab")]
public sealed class CommandSubstitutionTests
{
    private readonly VirtualTimeProvider _time = new(new DateTimeOffset(2024, 9, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567));
    private readonly ShellHarness _shell;

    public CommandSubstitutionTests() => _shell = new ShellHarness(1.0, _time);

    [Fact]
    public async Task The_documents_forced_redeployment_patch_becomes_one_argument_with_the_date_inside()
    {
        var seen = new List<string>();
        _shell.Commands.Register("probe", c =>
        {
            seen.AddRange(c.Args);
            return Task.FromResult(0);
        });
        var (code, _) = await _shell.RunAsync("""probe patch etcd cluster -p='{"spec": {"forceRedeploymentReason": "recovery-'"$( date --rfc-3339=ns )"'"}}' --type=merge""");

        Assert.Equal(0, code);
        Assert.Equal(["patch", "etcd", "cluster", """-p={"spec": {"forceRedeploymentReason": "recovery-2024-09-01 10:00:00.123456700+00:00"}}""", "--type=merge"], seen);
    }

    [Theory]
    [InlineData("printf '[%s]\\n' $(echo a b)", "[a]|[b]")] // unquoted: split into fields
    [InlineData("printf '[%s]\\n' \"$(echo a b)\"", "[a b]")] // quoted: one field
    [InlineData("printf '[%s]\\n' x$(printf 'a\\nb\\n\\n')y", "[xa]|[by]")] // trailing newlines removed, inner ones split
    [InlineData("printf '[%s]\\n' $(true) end", "[end]")] // an empty unquoted result is no field at all
    [InlineData("printf '[%s]\\n' \"$(true)\" end", "[]|[end]")]
    [InlineData("echo \"$(echo \"$(echo nested)\")\"", "nested")]
    [InlineData("echo $(echo 'a)b')", "a)b")] // a quoted ) does not close the substitution
    [InlineData("echo '$(echo literal)'", "$(echo literal)")]
    [InlineData("echo $(echo one; echo two >/dev/null; exit 3) after", "one after")]
    public async Task Substitutions_expand_like_bash(string script, string expected)
    {
        var (_, sink) = await _shell.RunAsync(script);
        Assert.Equal(expected, string.Join("|", sink.Stdout));
    }

    [Fact]
    public async Task Stderr_of_the_substitution_still_reaches_the_caller_and_an_unclosed_one_is_a_syntax_error()
    {
        var (_, sink) = await _shell.RunAsync("echo [$(nosuchtool)]");
        Assert.Equal(["[]"], sink.Stdout);
        Assert.Equal(["bash: nosuchtool: command not found"], sink.Stderr);

        var (code, broken) = await _shell.RunAsync("echo $(date");
        Assert.Equal(LabShell.SyntaxError, code);
        Assert.Equal(["bash: unexpected EOF while looking for matching `)'"], broken.Stderr);
    }

    [Theory]
    [InlineData("date --rfc-3339=ns", "2024-09-01 10:00:00.123456700+00:00")]
    [InlineData("date --rfc-3339=seconds", "2024-09-01 10:00:00+00:00")]
    [InlineData("date -u --rfc-3339=date", "2024-09-01")]
    [InlineData("date", "Sun Sep  1 10:00:00 UTC 2024")]
    [InlineData("date '+%F_%H%M%S %s'", "2024-09-01_100000 1725184800")]
    public async Task Date_prints_the_lab_clock_in_utc(string script, string expected)
    {
        var (code, sink) = await _shell.RunAsync(script);
        Assert.Equal(0, code);
        Assert.Equal([expected], sink.Stdout);
    }

    [Fact]
    public async Task Date_refuses_an_unknown_rfc_3339_precision()
    {
        var (code, sink) = await _shell.RunAsync("date --rfc-3339=ms");
        Assert.Equal(1, code);
        Assert.Equal("date: invalid argument 'ms' for '--rfc-3339'", sink.Stderr[0]);
    }

    [Fact]
    public async Task Sudo_passes_assignments_made_before_it_only_with_E()
    {
        var seen = new List<string>();
        _shell.Commands.Register("probe", c =>
        {
            seen.Add(string.Join(',', c.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")) + (c.Privileged ? " as root" : ""));
            return Task.FromResult(0);
        });
        await _shell.RunAsync("HTTP_PROXY='http://proxy:3128' HTTPS_PROXY='http://proxy:3128' NO_PROXY='.cluster.local' sudo -E probe");
        await _shell.RunAsync("HTTP_PROXY=http://proxy:3128 sudo probe");
        await _shell.RunAsync("HTTP_PROXY=http://proxy:3128 sudo --preserve-env A=1 probe");

        Assert.Equal(
        [
            "HTTPS_PROXY=http://proxy:3128,HTTP_PROXY=http://proxy:3128,NO_PROXY=.cluster.local as root",
            " as root",
            "A=1,HTTP_PROXY=http://proxy:3128 as root",
        ], seen);
    }
}
