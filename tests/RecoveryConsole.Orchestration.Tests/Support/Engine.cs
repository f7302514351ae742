using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Cloud;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Procedures.Catalog;

namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>
/// The run engine as the console hosts it: real hosted services, a real SQLite file in a temp folder, procedures
/// from YAML files. Stopping and starting a new Engine on the same folder is a console restart.
/// </summary>
public sealed class Engine : IAsyncDisposable
{
    public static readonly Actor Olivia = new("olivia", [Roles.Operator]);
    public static readonly Actor Arjun = new("arjun", [Roles.Approver]);
    public static readonly Actor Vera = new("vera", [Roles.Viewer]);
    public static readonly Actor OperatorApprover = new("oscar", [Roles.Operator, Roles.Approver]);

    private readonly IHost _host;
    private bool _stopped;

    private Engine(IHost host, string folder)
    {
        _host = host;
        Folder = folder;
    }

    public string Folder { get; }
    public IServiceProvider Services => _host.Services;
    public RunService Runs => Services.GetRequiredService<RunService>();
    public RunFeed Feed => Services.GetRequiredService<RunFeed>();
    public IRunRepository Repository => Services.GetRequiredService<IRunRepository>();
    public ITranscriptStore Transcripts => Services.GetRequiredService<ITranscriptStore>();
    public IAuditLog Audit => Services.GetRequiredService<IAuditLog>();
    public ProcedureCatalog Catalog => Services.GetRequiredService<ProcedureCatalog>();

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rc-engine-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(folder, "procedures"));
        return folder;
    }

    public static async Task<Engine> StartAsync(IClusterRegistry clusters, string yaml, string? folder = null,
        Action<OrchestrationOptions>? configure = null, TimeProvider? time = null)
    {
        folder ??= NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "procedures", "test.yaml"), yaml);
        return await StartInAsync(folder, clusters, time, configure);
    }

    /// <param name="configure">Console settings on top of the test defaults (approval lifetime, break-glass).</param>
    /// <param name="services">More of the console's parts (e.g. notifications), registered after the engine.</param>
    public static async Task<Engine> StartInAsync(string folder, IClusterRegistry clusters, TimeProvider? time = null,
        Action<OrchestrationOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddAuditStore(Path.Combine(folder, "console.db"));
        builder.Services.AddOrchestration(folder, o =>
        {
            o.DefaultStepTimeout = TimeSpan.FromMinutes(time is null ? 1 : 60);
            configure?.Invoke(o);
        });
        builder.Services.AddCloudSteps(); // as the console registers them: procedure drills may use cloud steps
        builder.Services.AddSingleton(clusters);
        builder.Services.AddArtifactStore(Path.Combine(folder, "artifacts"));
        if (time is not null) builder.Services.AddSingleton(time);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.Services.MigrateAuditStoreAsync(CancellationToken.None);
        await host.StartAsync();
        var engine = new Engine(host, folder);
        if (engine.Catalog.Invalid.Count > 0)
            throw new InvalidOperationException("Test procedure invalid: " + string.Join("; ", engine.Catalog.Invalid.SelectMany(i => i.Errors).Select(e => $"{e.Line}:{e.Field}: {e.Message}")));
        return engine;
    }

    public Task<Guid> StartRunAsync(Actor? actor = null, Dictionary<string, string?>? parameters = null, string procedure = "test") =>
        Runs.StartAsync(new StartRunRequest(procedure, TestCluster.Name, parameters ?? []), actor ?? Olivia, CancellationToken.None);

    /// <summary>Polls the stored run until <paramref name="condition"/> holds; fails with the last state seen.</summary>
    public async Task<Run> WaitForAsync(Guid runId, Func<Run, bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        Run? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await Repository.GetAsync(runId, CancellationToken.None);
            if (run is not null && condition(run)) return run;
            await Task.Delay(25);
        }
        var steps = run is null ? "" : string.Join(", ", run.Steps.Select(s => $"{s.StepPath}@{s.Host}={s.Status}"));
        throw new TimeoutException($"Run never reached: {what}. Last: {run?.Status} {run?.StatusReason} [{steps}]");
    }

    public Task<Run> WaitForStatusAsync(Guid runId, RunStatus status, int seconds = 20) =>
        WaitForAsync(runId, r => r.Status == status, status.ToString(), seconds);

    public async Task<IReadOnlyList<TranscriptLine>> TranscriptAsync(Guid runId)
    {
        await Feed.FlushAsync(runId, CancellationToken.None);
        return await Transcripts.ReadAsync(runId, 0, int.MaxValue, CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.StopAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
