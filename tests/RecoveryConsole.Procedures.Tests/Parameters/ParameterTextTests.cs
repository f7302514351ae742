using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Parameters;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Parameters;

/// <summary>Every value, whatever its type, is one line of visible text of sane length.</summary>
[Trait("Category", "Security")]
public sealed class ParameterTextTests
{
    private static readonly Procedure Procedure = new()
    {
        Id = "p",
        Title = "P",
        Source = new SourceReference("d.txt", "1"),
        Parameters =
        [
            new() { Name = "note", Type = ParameterType.String, Required = false, Label = "Note" },
            new() { Name = "ticket", Type = ParameterType.String, Pattern = ".*", Required = false },
            new() { Name = "backupDir", Type = ParameterType.Path, Required = false },
        ],
    };

    private static IReadOnlyList<ParameterProblem> Validate(string name, string value) =>
        ParameterValidator.Validate(Procedure, new Dictionary<string, string?> { [name] = value }, DemoCluster.Hosts);

    [Theory]
    [InlineData("note", "ok\u2028FORGED 12:00 stdout master-0 | rm -rf", "a Unicode line separator (U+2028) at position 3")]
    [InlineData("note", "ok\u2029x", "a Unicode paragraph separator (U+2029)")]
    [InlineData("note", "red \u001b[31mtext", "an escape character (ANSI sequence) (U+001B) at position 5")]
    [InlineData("note", "a\u009bb", "a control character (U+009B)")]
    [InlineData("note", "a\tb", "a control character (U+0009)")]
    [InlineData("note", "a\rb", "a line break (U+000D)")]
    [InlineData("note", "a\u0085b", "a line break (U+0085)")]
    [InlineData("ticket", "OPS-1\u202e1-SPO", "a text-direction override (U+202E)")]
    [InlineData("backupDir", "/backup\u2028/etc", "a Unicode line separator")]
    public void Control_characters_and_separators_are_refused_with_what_and_where(string name, string value, string expected)
    {
        var problem = Assert.Single(Validate(name, value));

        Assert.Equal(name, problem.Parameter);
        Assert.Contains("must not contain control characters or line separators", problem.Message, StringComparison.Ordinal);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_40_KB_value_is_refused_with_its_length_and_is_not_echoed()
    {
        var problem = Assert.Single(Validate("ticket", new string('x', 40 * 1024)));

        Assert.Equal("ticket is 40,960 characters long; at most 4,096 are accepted.", problem.Message);
    }

    [Fact]
    public void A_value_of_the_maximum_length_with_unicode_text_is_accepted()
    {
        Assert.Empty(Validate("note", "Zürich — 東京 " + new string('y', ParameterText.MaxLength - 13)));
    }

    [Fact]
    public void An_undeclared_name_is_echoed_short_and_without_its_control_characters()
    {
        var problem = Assert.Single(Validate(new string('n', 5000) + "\u2028", "x"));

        Assert.True(problem.Parameter.Length <= 65, problem.Parameter);
        Assert.DoesNotContain('\u2028', problem.Message);
    }
}
