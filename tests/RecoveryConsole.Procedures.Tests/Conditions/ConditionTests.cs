using RecoveryConsole.Procedures.Conditions;

namespace RecoveryConsole.Procedures.Tests.Conditions;

public sealed class ConditionTests
{
    private static readonly Dictionary<string, string> Facts = new()
    {
        ["keepalived"] = "true",
        ["proxy"] = "false",
        ["upper"] = "TRUE",
        ["networkType"] = "OVNKubernetes",
        ["platform"] = "IPI",
        ["facts.platform"] = "IPI",
        ["empty"] = "",
    };

    [Theory]
    [InlineData("keepalived", true)]
    [InlineData("proxy", false)]
    [InlineData("upper", true)]
    [InlineData("empty", false)]
    [InlineData("networkType", false)]
    [InlineData("!proxy", true)]
    [InlineData("!!keepalived", true)]
    [InlineData("networkType == 'OVNKubernetes'", true)]
    [InlineData("networkType == 'ovnkubernetes'", false)]
    [InlineData("networkType != 'OpenShiftSDN'", true)]
    [InlineData("'IPI' == platform", true)]
    [InlineData("platform == facts.platform", true)]
    [InlineData("empty == ''", true)]
    [InlineData("keepalived && networkType == 'OVNKubernetes'", true)]
    [InlineData("keepalived && proxy", false)]
    [InlineData("proxy || keepalived", true)]
    [InlineData("proxy || keepalived && proxy", false)]
    [InlineData("keepalived || proxy && proxy", true)]
    [InlineData("(keepalived || proxy) && proxy", false)]
    [InlineData("!(proxy || platform == 'UPI')", true)]
    [InlineData("!proxy&&keepalived", true)]
    [InlineData("  ( keepalived )  ", true)]
    [InlineData("platform == 'a b && c'", false)]
    public void Evaluates(string text, bool expected)
    {
        Assert.Equal(expected, Condition.Parse(text).Evaluate(Facts));
    }

    [Fact]
    public void Lists_the_names_it_reads()
    {
        Assert.Equal(["keepalived", "networkType", "facts.platform"],
            Condition.Parse("keepalived && (networkType == 'x' || !keepalived) && facts.platform != 'y'").Identifiers);
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("keepalived &&", 14, "expected a name")]
    [InlineData("(keepalived", 12, "expected ')'")]
    [InlineData("keepalived)", 11, "unexpected ')'")]
    [InlineData("platform = 'IPI'", 10, "unexpected '='")]
    [InlineData("platform == 'IPI", 13, "Unterminated string")]
    [InlineData("'IPI'", 1, "needs a comparison")]
    [InlineData("keepalived & proxy", 12, "unexpected '&'")]
    [InlineData("a == == b", 6, "found '='")]
    [InlineData("1abc", 1, "found '1'")]
    [InlineData("a || || b", 6, "found '|'")]
    public void A_syntax_error_says_where(string text, int position, string message)
    {
        var ex = Assert.Throws<ConditionException>(() => Condition.Parse(text));

        Assert.Equal(position, ex.Position);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_fails_clearly_instead_of_counting_as_false()
    {
        var condition = Condition.Parse("keepalived && ingressVip == '10.0.0.5'");

        var ex = Assert.Throws<ConditionException>(() => condition.Evaluate(Facts));

        Assert.Equal(15, ex.Position);
        Assert.Contains("'ingressVip'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluation_short_circuits_so_an_unneeded_name_may_be_missing()
    {
        Assert.False(Condition.Parse("proxy && unknownFact").Evaluate(Facts));
        Assert.True(Condition.Parse("keepalived || unknownFact").Evaluate(Facts));
    }
}
