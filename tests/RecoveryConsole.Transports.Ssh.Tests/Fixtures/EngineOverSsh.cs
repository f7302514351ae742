using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>
/// The console's engine for one test, with one shipped (or fixture) procedure: every host step of lab-ocp4 goes over
/// SSH to the fixture's sshd, API steps go to the lab's simulated API. Stopped and its folder removed on dispose.
/// </summary>
public sealed class EngineOverSsh(IHost app, string folder) : IAsyncDisposable
{
    /// <param name="procedureYaml">A procedure file written by the test; null: the shipped or fixture file <paramref name="procedureId"/>.</param>
    public static Task<EngineOverSsh> StartAsync(IHostTransport ssh, string procedureId, TimeSpan stepTimeout, string? procedureYaml = null) =>
        StartWithAsync(ssh, stepTimeout, procedures =>
        {
            if (procedureYaml is not null) File.WriteAllText(Path.Combine(procedures, procedureId + ".yaml"), procedureYaml);
            else File.Copy(Path.Combine(AppContext.BaseDirectory, "procedures", procedureId + ".yaml"), Path.Combine(procedures, procedureId + ".yaml"));
        });

    /// <summary>The engine with a procedure file written by the test (YAML text).</summary>
    public static Task<EngineOverSsh> StartWithProcedureAsync(IHostTransport ssh, string procedureYaml, TimeSpan stepTimeout) =>
        StartWithAsync(ssh, stepTimeout, procedures => File.WriteAllText(Path.Combine(procedures, "test.yaml"), procedureYaml));

    private static async Task<EngineOverSsh> StartWithAsync(IHostTransport ssh, TimeSpan stepTimeout, Action<string> addProcedures)
    {
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 0.01, RolloutStepDelay = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        var folder = Directory.CreateTempSubdirectory("rc-engine-ssh-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "procedures"));
        addProcedures(Path.Combine(folder, "procedures"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddAuditStore(Path.Combine(folder, "console.db"));
        builder.Services.AddOrchestration(folder, o => o.DefaultStepTimeout = stepTimeout);
        builder.Services.AddArtifactStore(Path.Combine(folder, "artifacts"));
        builder.Services.AddSingleton<IClusterRegistry>(new LabOverSsh(lab, ssh));
        var app = builder.Build();
        await app.Services.MigrateAuditStoreAsync(CancellationToken.None);
        await app.StartAsync();
        return new EngineOverSsh(app, folder);
    }

    public IServiceProvider Services => app.Services;
    public RunService Runs => Services.GetRequiredService<RunService>();

    /// <summary>Polls the stored run until <paramref name="condition"/> holds; fails with the last state seen.</summary>
    public async Task<Run> WaitForAsync(Guid id, Func<Run, bool> condition, TimeSpan timeout)
    {
        var repository = Services.GetRequiredService<IRunRepository>();
        var deadline = DateTime.UtcNow + timeout;
        Run? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await repository.GetAsync(id, CancellationToken.None);
            if (run is not null && condition(run)) return run;
            await Task.Delay(25);
        }
        throw new TimeoutException($"The run never got there; last: {run?.Status} {run?.StatusReason}");
    }

    public async Task<IReadOnlyList<TranscriptLine>> TranscriptAsync(Guid id)
    {
        await Services.GetRequiredService<RunFeed>().FlushAsync(id, CancellationToken.None);
        return await Services.GetRequiredService<ITranscriptStore>().ReadAsync(id, 0, int.MaxValue, CancellationToken.None);
    }

    public async Task<string> ExplainAsync(Run run)
    {
        var lines = await TranscriptAsync(run.Id);
        return $"{run.Status}: {run.StatusReason}\n{string.Join('\n', lines.TakeLast(30).Select(l => $"[{l.StepPath}] {l.Text}"))}";
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        app.Dispose();
        Directory.Delete(folder, true);
    }
}
