using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Lab;

/// <summary>The shipped sample procedure, end to end against the embedded lab cluster, as a new user would rehearse it.</summary>
[Trait("Category", "Lab")]
public sealed class SampleDrillTests
{
    private static string SampleFile => Path.Combine(AppContext.BaseDirectory, "procedures", "sample-drill.yaml");

    [Fact]
    public async Task The_sample_drill_runs_to_the_end_with_approvals_and_a_confirmed_manual_step()
    {
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 0.01, RolloutStepDelay = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        await using var engine = await Support.Engine.StartAsync(lab, await File.ReadAllTextAsync(SampleFile));
        var id = await engine.Runs.StartAsync(
            new Orchestration.Engine.StartRunRequest("sample-drill", LabClusterCatalog.DemoClusterName, new Dictionary<string, string?> { ["recoveryHost"] = "master-0" }),
            Support.Engine.Olivia, CancellationToken.None);

        var approvals = 0;
        var handled = new HashSet<string>(); // gates already answered: the next wait is for a new one
        Run run;
        while (true)
        {
            run = await engine.WaitForAsync(id, r => r.Status.IsFinal() || RunExtensions.OpenGates(r).Any(g => !handled.Contains(g)), "a new gate or the end", seconds: 60);
            if (run.Status.IsFinal()) break;
            var gate = RunExtensions.OpenGates(run).First(g => !handled.Contains(g));
            handled.Add(gate);
            if (run.PendingApprovalAny() is { } pending && gate == $"approval:{pending.Id}")
            {
                await engine.Runs.ApproveAsync(id, pending.StepPath, Support.Engine.Arjun, "drill", CancellationToken.None);
                approvals++;
            }
            else
            {
                await engine.Runs.ConfirmAsync(id, gate["manual:".Length..], Support.Engine.Olivia, "would re-create master-1 and master-2", CancellationToken.None);
            }
        }

        Assert.True(run.Status == RunStatus.Succeeded, run.StatusReason);
        Assert.True(run.IsDrill);
        Assert.Equal(4, approvals); // stop-static-pods, run-restore, quorum-guard-off, force-etcd-redeployment
        Assert.Equal(StepStatus.Skipped, run.FindStep("export-proxy")!.Status);
        Assert.Equal("would re-create master-1 and master-2", run.FindStep("recreate-machines")!.Note);
        var lines = await engine.TranscriptAsync(id);
        Assert.Contains(lines, l => l.Text == "2000" && l.Host == "master-0");
        Assert.Contains(lines, l => l.Stream == OutputStream.Stderr && l.Text.Contains("rehearsal only"));
        Assert.Contains(lines, l => l.Text.Contains("AllNodesAtLatestRevision"));
        Assert.Contains(lines, l => l.Text.Contains("certificate signing request(s) approved"));
    }
}

internal static class RunExtensions
{
    public static IEnumerable<string> OpenGates(Run run) =>
        run.Approvals.Where(a => a.Decision == ApprovalDecision.Pending).Select(a => $"approval:{a.Id}")
            .Concat(run.Steps.Where(s => s.Status == StepStatus.WaitingForOperator).Select(s => $"manual:{s.StepPath}"));

    public static Approval? PendingApprovalAny(this Run run) => run.Approvals.LastOrDefault(a => a.Decision == ApprovalDecision.Pending);
}
