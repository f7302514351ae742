using RecoveryConsole.Procedures.ApplicabilityRules;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.ApplicabilityRules;

/// <summary>A multi-cluster procedure's role: its own product decides which cluster fits it.</summary>
[Trait("Category", "Security")]
public sealed class RoleApplicabilityTests
{
    private static readonly Procedure Move = new()
    {
        Id = "move", Title = "Move", Source = new SourceReference("d.txt", "8.6"),
        Applies = new Applicability { Product = "hypershift-management", Versions = ">=4.14" },
    };

    [Fact]
    public void A_role_with_its_own_product_needs_that_product_and_not_the_procedures_versions()
    {
        var hosted = new ClusterRole { Name = "hosted", Label = "Hosted cluster", Product = "hypershift-hosted" };

        Assert.True(ApplicabilityCheck.Evaluate(Move, hosted, "lab-hosted-1", "hypershift-hosted", "4.12.3").Applies);
        var refused = ApplicabilityCheck.Evaluate(Move, hosted, "lab-mgmt-a", "hypershift-management", "4.16.12");
        Assert.False(refused.Applies);
        Assert.Contains("This procedure is for hypershift-hosted; lab-mgmt-a is hypershift-management", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_without_a_product_is_held_to_the_procedures_applies()
    {
        var source = new ClusterRole { Name = "source", Label = "Source" };

        Assert.True(ApplicabilityCheck.Evaluate(Move, source, "lab-mgmt-a", "hypershift-management", "4.16.12").Applies);
        Assert.False(ApplicabilityCheck.Evaluate(Move, source, "old-mgmt", "hypershift-management", "4.13.0").Applies);
        Assert.False(ApplicabilityCheck.Evaluate(Move, source, "lab-ocp4", "openshift", "4.16.12").Applies);
    }
}
