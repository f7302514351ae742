using System.Globalization;
using System.Text;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Commands;

/// <summary>
/// A parameter quoted by <see cref="ShellQuote"/> goes through the transport's own wrapping (eval inside the login
/// shell) and must still reach the remote command as exactly one argument with exactly its bytes.
/// </summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class QuotingTests(SshFixture fixture)
{
    public static TheoryData<string> Hostile() =>
    [
        "a;rm -rf /",
        "$(id)",
        "`id`",
        "it's",
        "say \"hi\"",
        "'; echo pwned; '",
        "line1\nline2",
        "trailing newline\n",
        "tab\there",
        "ünïcödé 日本語 🚀",
        "-n",
        "--help",
        "",
        " ",
        "*",
        "~root",
        "$HOME ${PATH} $$ $?",
        "back\\slash\\",
        "%s %n",
        "a|b&c>d<e",
        "!event",
        "__RC_deadbeef_exit 0",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_quoted_parameter_arrives_byte_exact_as_one_argument(string value)
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();
        var q = ShellQuote.Quote(value);

        var exit = await transport.RunAsync(fixture.Host, $"set -- {q}; echo \"$#\"; printf '%s' \"$1\" | od -An -tx1 -v", sink, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal("1", sink.Stdout[0]);
        var hex = string.Concat(sink.Stdout.Skip(1)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value)), hex);
        Assert.Empty(sink.Stderr);
    }

    [Fact]
    public async Task A_hostile_parameter_does_not_run_anything()
    {
        await using var transport = fixture.Transport();
        var canary = Path.Combine(fixture.Server.Directory, "canary-" + Guid.NewGuid().ToString("N"));
        var sink = new CollectingSink();

        var exit = await transport.RunAsync(fixture.Host, $"echo {ShellQuote.Quote($"x; touch {canary}; $(touch {canary}) `touch {canary}`")}", sink, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.False(File.Exists(canary));
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, "x; touch {0}; $(touch {0}) `touch {0}`", canary), Assert.Single(sink.Stdout));
    }
}
