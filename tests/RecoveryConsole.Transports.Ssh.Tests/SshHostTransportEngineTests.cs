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
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 0.01, RolloutStepDelay = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        var folder = Directory.CreateTempSubdirectory("rc-engine-ssh-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "procedures"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "procedures", "sample-drill.yaml"), Path.Combine(folder, "procedures", "sample-drill.yaml"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddAuditStore(Path.Combine(folder, "console.db"));
        builder.Services.AddOrchestration(folder, o => o.DefaultStepTimeout = TimeSpan.FromMinutes(1));
        builder.Services.AddSingleton<IClusterRegistry>(new LabOverSsh(lab, transport));
        using var host = builder.Build();
        await host.Services.MigrateAuditStoreAsync(CancellationToken.None);
        await host.StartAsync();
        try
        {
            var runs = host.Services.GetRequiredService<RunService>();
            var repository = host.Services.GetRequiredService<IRunRepository>();
            var id = await runs.StartAsync(new StartRunRequest("sample-drill", LabClusterCatalog.DemoClusterName,
                new Dictionary<string, string?> { ["recoveryHost"] = "master-0" }), Operator, CancellationToken.None);

            var answered = new HashSet<string>();
            Run run;
            while (true)
            {
                run = await WaitAsync(repository, id, r => r.Status.IsFinal() || Gates(r).Any(g => !answered.Contains(g)));
                if (run.Status.IsFinal()) break;
                var gate = Gates(run).First(g => !answered.Contains(g));
                answered.Add(gate);
                if (gate.StartsWith("approval:", StringComparison.Ordinal))
                    await runs.ApproveAsync(id, run.Approvals.Last(a => a.Decision == ApprovalDecision.Pending).StepPath, Approver, "drill over ssh", CancellationToken.None);
                else
                    await runs.ConfirmAsync(id, gate["manual:".Length..], Operator, "would re-create master-1 and master-2", CancellationToken.None);
            }

            Assert.True(run.Status == RunStatus.Succeeded, run.StatusReason);
            var feed = host.Services.GetRequiredService<RunFeed>();
            await feed.FlushAsync(id, CancellationToken.None);
            var lines = await host.Services.GetRequiredService<ITranscriptStore>().ReadAsync(id, 0, int.MaxValue, CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                lines.Where(l => l.StepPath == "watch-operators" && l.Stream == OutputStream.Stdout).Select(l => l.Text));
            Assert.Contains(lines, l => l.Stream == OutputStream.Stderr && l.Text == "rehearsal only: nothing is changed");
            Assert.Contains(lines, l => l.Text == "starting restore-etcd static pod" && l.Host == "master-0");  // the sudo -E step
            Assert.Contains(lines, l => l.Text == "restarting kubelet.service on master-2");                   // a parallel forEach
            Assert.DoesNotContain(lines, l => l.Text.Contains("__RC_", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(folder, true);
        }
    }

    private static IEnumerable<string> Gates(Run run) =>
        run.Approvals.Where(a => a.Decision == ApprovalDecision.Pending).Select(a => $"approval:{a.Id}")
            .Concat(run.Steps.Where(s => s.Status == StepStatus.WaitingForOperator).Select(s => $"manual:{s.StepPath}"));

    private static async Task<Run> WaitAsync(IRunRepository repository, Guid id, Func<Run, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        Run? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await repository.GetAsync(id, CancellationToken.None);
            if (run is not null && condition(run)) return run;
            await Task.Delay(25);
        }
        throw new TimeoutException($"The run never got there; last: {run?.Status} {run?.StatusReason}");
    }
}
