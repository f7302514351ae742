using System.Security.Claims;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Tests.Runs;

/// <summary>A multi-cluster run is visible only to someone with a role on each of its clusters.</summary>
[Trait("Category", "Security")]
public sealed class RunAccessTests
{
    private static Run MigrationRun() => new("hosted-aws-migration", "Move", "hash", "mgmt-a", isDrill: false, "{}", "olivia", DateTimeOffset.UnixEpoch,
        new Dictionary<string, string> { ["destination"] = "mgmt-b", ["hosted"] = "hosted-1" });

    private static ClaimsPrincipal User(params (string Cluster, string Role)[] perCluster)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, "vera") };
        claims.AddRange(perCluster.Select(c => new Claim(AccountClaims.ClusterRoles, AccountClaims.FormatClusterRoles(c.Cluster, [c.Role]))));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    [Fact]
    public void A_role_on_the_main_cluster_alone_does_not_show_what_was_done_on_the_others()
    {
        var run = MigrationRun();

        Assert.False(RunAccess.MaySee(User(("mgmt-a", Roles.Viewer)), run));
        Assert.False(RunAccess.MaySee(User(("mgmt-a", Roles.Viewer), ("mgmt-b", Roles.Viewer)), run));
        Assert.True(RunAccess.MaySee(User(("mgmt-a", Roles.Viewer), ("mgmt-b", Roles.Operator), ("hosted-1", Roles.Viewer)), run));
    }
}
