using RecoveryConsole.Orchestration.Triage;

namespace RecoveryConsole.Orchestration.Tests.Triage;

public sealed class SourceSectionsTests
{
    [Theory]
    [InlineData("5.3.2.2", "5.3.2.2", true)]
    [InlineData("5.3.2.2", "5.3.2", true)]
    [InlineData("5.3.2", "5.3.2.2", false)]
    [InlineData("5.3.22", "5.3.2", false)]
    [InlineData("5.3.2.2 step 1", "5.3.2.2", false)]
    [InlineData("5.2.1.4", "5.2.1.3, 5.2.1.4", true)]
    [InlineData("5.2.1.3, 5.2.1.4", "5.2.1.4", true)]
    [InlineData("5.2.1.2", "5.2.1.3, 5.2.1.4", false)]
    public void A_procedure_matches_a_section_it_cites_or_a_sub_section_of_it(string procedure, string wanted, bool matches) =>
        Assert.Equal(matches, SourceSections.Matches(procedure, wanted));
}
