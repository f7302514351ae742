using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests;

/// <summary>
/// The shipped sample procedure run by the real engine, every host step going over SSH to the fixture's sshd (all
/// control-plane hosts are 127.0.0.1 there); its API steps use the lab's simulated API.
/// </summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class SshHostTransportEngineTests(SshFixture fixture)
{
    private static readonly Actor Operator = new("olivia", [Roles.Operator]);
    private static readonly Actor Approver = new("arjun", [Roles.Approver]);

    [Fact]
    public async Task The_sample_drill_runs_to_the_end_over_ssh()
    {
        await using var transport = fixture.Transport();
        await using var engine = await EngineOverSsh.StartAsync(transport, "sample-drill", TimeSpan.FromMinutes(1));
        var runs = engine.Runs;
        var id = await runs.StartAsync(new StartRunRequest("sample-drill", LabClusterCatalog.DemoClusterName,
            new Dictionary<string, string?> { ["recoveryHost"] = "master-0" }), Operator, CancellationToken.None);

        var answered = new HashSet<string>();
        Run run;
        while (true)
        {
            run = await engine.WaitForAsync(id, r => r.Status.IsFinal() || Gates(r).Any(g => !answered.Contains(g)), TimeSpan.FromSeconds(120));
            if (run.Status.IsFinal()) break;
            var gate = Gates(run).First(g => !answered.Contains(g));
            answered.Add(gate);
            if (gate.StartsWith("approval:", StringComparison.Ordinal))
                await runs.ApproveAsync(id, run.Approvals.Last(a => a.Decision == ApprovalDecision.Pending).StepPath, Approver, "drill over ssh", CancellationToken.None);
            else
                await runs.ConfirmAsync(id, gate["manual:".Length..], Operator, "would re-create master-1 and master-2", CancellationToken.None);
        }

        Assert.True(run.Status == RunStatus.Succeeded, run.StatusReason);
        var lines = await engine.TranscriptAsync(id);
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            lines.Where(l => l.StepPath == "watch-operators" && l.Stream == OutputStream.Stdout).Select(l => l.Text));
        Assert.Contains(lines, l => l.Stream == OutputStream.Stderr && l.Text == "rehearsal only: nothing is changed");
        Assert.Contains(lines, l => l.Text == "starting restore-etcd static pod" && l.Host == "master-0");  // the sudo -E step
        Assert.Contains(lines, l => l.Text == "restarting kubelet.service on master-2");                   // a parallel forEach
        Assert.DoesNotContain(lines, l => l.Text.Contains("__RC_", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Gates(Run run) =>
        run.Approvals.Where(a => a.Decision == ApprovalDecision.Pending).Select(a => $"approval:{a.Id}")
            .Concat(run.Steps.Where(s => s.Status == StepStatus.WaitingForOperator).Select(s => $"manual:{s.StepPath}"));
}
