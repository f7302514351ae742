using RecoveryConsole.Procedures.ApplicabilityRules;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.ApplicabilityRules;

public sealed class ApplicabilityCheckTests
{
    private static ApplicabilityVerdict Check(string versions, string clusterVersion, string product = "openshift", string clusterProduct = "openshift") =>
        ApplicabilityCheck.Evaluate(new Applicability { Product = product, Versions = versions }, "lab-x", clusterProduct, clusterVersion);

    [Theory]
    [InlineData(">=4.12", "4.16.12", true)]
    [InlineData(">=4.12", "4.12.0", true)]
    [InlineData(">=4.12", "4.11.40", false)]
    [InlineData(">=4.12", "3.11.157", false)]
    [InlineData(">4.3", "4.3.40", false)]
    [InlineData(">4.3", "4.4.0", true)]
    [InlineData("<4.4", "4.3.40", true)]
    [InlineData("<4.4", "4.4.1", false)]
    [InlineData("<=4.3", "4.3.40", true)]
    [InlineData("<=4.3", "4.4.0", false)]
    [InlineData("4.2-4.3", "4.2.0", true)]
    [InlineData("4.2-4.3", "4.3.40", true)]
    [InlineData("4.2-4.3", "4.4.0", false)]
    [InlineData("4.2-4.3", "4.1.9", false)]
    [InlineData("3.11", "3.11.157", true)]
    [InlineData("3.11", "3.10.1", false)]
    [InlineData("4.16.x", "4.16.12", true)]
    [InlineData("4.16.*", "4.16.0", true)]
    [InlineData("4.16.x", "4.17.0", false)]
    [InlineData("=4.16.3", "4.16.3", true)]
    [InlineData("=4.16.3", "4.16.4", false)]
    [InlineData("", "4.3.40", true)]
    [InlineData("", "", true)]
    public void A_version_range_covers_the_versions_it_names(string versions, string clusterVersion, bool applies) =>
        Assert.Equal(applies, Check(versions, clusterVersion).Applies);

    [Theory]
    [InlineData(">=4.12, <4.17", "4.16.12", true)]
    [InlineData(">=4.12, <4.17", "4.17.0", false)]
    [InlineData(">=4.12, <4.17", "4.11.2", false)]
    [InlineData("4.2-4.3, 3.11", "3.11.157", true)]
    [InlineData("4.2-4.3, 3.11", "4.3.40", true)]
    [InlineData("4.2-4.3, 3.11", "4.16.12", false)]
    [InlineData("<4.4, >=4.12", "4.16.12", true)]
    [InlineData("<4.4, >=4.12", "4.3.40", true)]
    [InlineData("<4.4, >=4.12", "4.8.0", false)]
    public void Combined_terms_join_adjacent_bounds_and_otherwise_are_alternatives(string versions, string clusterVersion, bool applies) =>
        Assert.Equal(applies, Check(versions, clusterVersion).Applies);

    [Theory]
    [InlineData("v4.16.12")]
    [InlineData("4.16.12-rc.1")]
    [InlineData(" 4.16 ")]
    public void Cluster_versions_are_read_leniently(string clusterVersion) => Assert.True(Check(">=4.12", clusterVersion).Applies);

    [Fact]
    public void The_reason_names_the_range_the_cluster_and_its_version()
    {
        var verdict = ApplicabilityCheck.Evaluate(new Applicability { Versions = ">=4.12" }, "lab-ocp42", "openshift", "4.3.8");

        Assert.False(verdict.Applies);
        Assert.Equal("This procedure is for OpenShift 4.12 and later; lab-ocp42 runs 4.3.8.", verdict.Reason);
    }

    [Theory]
    [InlineData("4.2-4.3", "This procedure is for OpenShift 4.2 to 4.3; lab-x runs 4.16.12.")]
    [InlineData("<4.4", "This procedure is for OpenShift versions before 4.4; lab-x runs 4.16.12.")]
    [InlineData("3.11", "This procedure is for OpenShift 3.11; lab-x runs 4.16.12.")]
    [InlineData("4.15.x", "This procedure is for OpenShift 4.15.x; lab-x runs 4.16.12.")]
    [InlineData(">=4.12, <4.16", "This procedure is for OpenShift 4.12 and later, before 4.16; lab-x runs 4.16.12.")]
    [InlineData("4.2-4.3, 3.11", "This procedure is for OpenShift 4.2 to 4.3 or 3.11; lab-x runs 4.16.12.")]
    public void Reasons_describe_each_form_in_words(string versions, string reason) =>
        Assert.Equal(reason, Check(versions, "4.16.12").Reason);

    [Fact]
    public void Another_product_does_not_apply_whatever_its_version()
    {
        var verdict = Check(">=4.12", "4.16.12", clusterProduct: "hypershift-hosted");

        Assert.False(verdict.Applies);
        Assert.Equal("This procedure is for OpenShift; lab-x is hypershift-hosted 4.16.12.", verdict.Reason);
        Assert.True(Check(">=4.12", "4.16.12", clusterProduct: "OpenShift").Applies); // product names ignore case
    }

    [Fact]
    public void An_unknown_cluster_version_does_not_match_a_range_and_says_how_to_fix_it()
    {
        var verdict = Check(">=4.12", "");

        Assert.False(verdict.Applies);
        Assert.Contains("version of lab-x is not known", verdict.Reason);
    }

    [Theory]
    [InlineData(">=four")]
    [InlineData("4.3-4.2")]
    [InlineData("latest")]
    public void An_unreadable_range_applies_nowhere_and_says_so(string versions)
    {
        var verdict = Check(versions, "4.16.12");

        Assert.False(verdict.Applies);
        Assert.Contains("cannot be read", verdict.Reason);
        Assert.Contains("fix the procedure file", verdict.Reason);
    }
}
