using System.Diagnostics;
using System.Text;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Procedures.Tests.Rendering;

public sealed class ShellQuoteTests
{
    public static TheoryData<string> HostileValues => new()
    {
        "a;rm -rf /",
        "$(id)",
        "`id`",
        "${HOME}",
        "$HOME",
        "it's",
        "'",
        "''",
        "'\\''",
        "\"double\" quotes",
        "back\\slash\\",
        "line1\nline2\n",
        "\r\n",
        "tab\there",
        "héllo wörld ☃ 日本語",
        "-rf",
        "--help",
        "",
        " ",
        " leading and trailing ",
        "*",
        "?",
        "~",
        "~root",
        "a&b|c>d<e",
        "{a,b}",
        "[abc]",
        "#not-a-comment",
        "!1",
        "x=1 y=2",
        "a\\'b",
        "$'\\x41'",
        "%s %n",
    };

    /// <summary>The real proof: the shell, given the quoted word, hands the program exactly the original value.</summary>
    [Theory]
    [MemberData(nameof(HostileValues))]
    public void The_shell_receives_exactly_the_value(string value)
    {
        Assert.Equal(value, RunShell("printf %s " + ShellQuote.Quote(value)));
    }

    [Fact]
    public void Several_quoted_values_stay_separate_words()
    {
        var output = RunShell("printf '[%s]' " + string.Join(' ', new[] { "a b", "", "c'd", "$(x)" }.Select(ShellQuote.Quote)));

        Assert.Equal("[a b][][c'd][$(x)]", output);
    }

    [Theory]
    [InlineData("master-0", "master-0")]
    [InlineData("/home/core/assets/backup", "/home/core/assets/backup")]
    [InlineData("user@host:22", "user@host:22")]
    [InlineData("a=b,c+d%e", "a=b,c+d%e")]
    [InlineData("", "''")]
    [InlineData("-rf", "'-rf'")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", @"'it'\''s'")]
    public void Leaves_plainly_safe_values_bare_and_quotes_the_rest(string value, string quoted)
    {
        Assert.Equal(quoted, ShellQuote.Quote(value));
    }

    private static string RunShell(string script)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"sh failed ({process.ExitCode}): {error}");
        return output;
    }
}
