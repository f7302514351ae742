using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>procedures/ocp4-expired-certificates.yaml (5.3.3) through RunService on the expired-certificates lab scenario.</summary>
[Trait("Category", "Lab")]
public sealed class ExpiredCertificatesTests
{
    private const string Procedure = "ocp4-expired-certificates";

    [Fact]
    public async Task Reviewing_and_approving_the_pending_csrs_brings_every_node_back()
    {
        await using var drill = await ProcedureDrill.StartAsync("ocp4-expired-control-plane-certificates", Procedure);
        Assert.False(drill.Health().Healthy);
        var offered = new List<InputOption>();
        drill.Answer = (_, request) =>
        {
            offered.AddRange(request.Options);
            return null; // the preselected, valid requests
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, []));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(drill.Health().Healthy, drill.Health().ToString());
        // Client requests of the node-bootstrapper first, then every node's serving request; each shown with requestor and age.
        Assert.Contains(offered, o => o.Label.Contains("client", StringComparison.Ordinal) && o.Label.Contains("node-bootstrapper", StringComparison.Ordinal) && o.Selected);
        Assert.Contains(offered, o => o.Label.Contains("serving  system:node:worker-0", StringComparison.Ordinal));
        Assert.True(run.Steps.Count(s => s.StepPath.StartsWith("approve-csrs[round-", StringComparison.Ordinal) && !s.StepPath.Contains('/')) >= 2);
    }

    [Fact]
    public async Task Requests_the_operator_leaves_unchosen_stay_pending_and_the_run_says_so_when_rounds_run_out()
    {
        await using var drill = await ProcedureDrill.StartAsync("ocp4-expired-control-plane-certificates", Procedure);
        drill.Answer = (_, _) => []; // approve nothing

        var run = await drill.DriveAsync(await drill.StartRunAsync(Procedure, []));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("still does not hold after 40 round(s)", run.StatusReason);
        Assert.False(drill.Health().Healthy);
    }
}
