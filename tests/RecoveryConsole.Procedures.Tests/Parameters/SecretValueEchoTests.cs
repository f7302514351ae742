using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Parameters;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Parameters;

/// <summary>A refusal is shown to the client and logged: it repeats what was typed, except a secret.</summary>
[Trait("Category", "Security")]
public sealed class SecretValueEchoTests
{
    private static readonly Procedure Procedure = new()
    {
        Id = "p",
        Title = "P",
        Source = new SourceReference("d.txt", "1"),
        Parameters =
        [
            new() { Name = "token", Type = ParameterType.String, Pattern = "[a-z]{8}", Secret = true, Required = false },
            new() { Name = "ticket", Type = ParameterType.String, Pattern = "[A-Z]+-[0-9]+", Required = false },
        ],
    };

    [Fact]
    public void A_secret_that_breaks_its_pattern_is_refused_without_being_repeated()
    {
        var problems = ParameterValidator.Validate(Procedure,
            new Dictionary<string, string?> { ["token"] = "Hunter2-Secret", ["ticket"] = "not-a-ticket" }, DemoCluster.Hosts);

        Assert.Equal("token: the value given does not have the expected form. See the help under the field for what it takes.", problems.Single(p => p.Parameter == "token").Message);
        Assert.Contains("'not-a-ticket' does not have", problems.Single(p => p.Parameter == "ticket").Message);
    }
}
