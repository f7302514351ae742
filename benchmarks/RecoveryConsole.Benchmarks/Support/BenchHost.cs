using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>The console's engine and audit store on a fresh SQLite file in a temporary folder (no web, no clusters).</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly IHost _host;

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "bench.db");
    public IServiceProvider Services => _host.Services;
    public RunFeed Feed => _host.Services.GetRequiredService<RunFeed>();

    private BenchHost(IHost host, string folder) => (_host, Folder) = (host, folder);

    /// <param name="clusters">The clusters runs may use (none by default).</param>
    /// <param name="procedures">Procedure files (name → YAML) written into the console's procedures folder before it starts.</param>
    public static async Task<BenchHost> StartAsync(string prefix, IClusterRegistry? clusters = null, IReadOnlyDictionary<string, string>? procedures = null)
    {
        var folder = Measure.TempFolder(prefix);
        Directory.CreateDirectory(Path.Combine(folder, "procedures"));
        foreach (var (name, yaml) in procedures ?? new Dictionary<string, string>())
            await File.WriteAllTextAsync(Path.Combine(folder, "procedures", name), yaml);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddAuditStore(Path.Combine(folder, "bench.db"));
        builder.Services.AddOrchestration(folder);
        builder.Services.AddSingleton<IClusterRegistry>(clusters ?? new NoClusters());
        var host = builder.Build();
        await host.Services.MigrateAuditStoreAsync(CancellationToken.None);
        await host.StartAsync();
        // A benchmark's own procedure that does not load would measure nothing: say why at once.
        var catalog = host.Services.GetRequiredService<RecoveryConsole.Procedures.Catalog.ProcedureCatalog>();
        if (catalog.Invalid.Count > 0)
            throw new InvalidOperationException("Benchmark procedure invalid: " + string.Join("; ", catalog.Invalid.SelectMany(i => i.Errors).Select(e => $"{e.Line}:{e.Field}: {e.Message}")));
        return new BenchHost(host, folder);
    }

    /// <summary>A new run, open for lines.</summary>
    public async Task<Run> NewRunAsync()
    {
        var run = new Run("bench", "Benchmark", "0", "none", true, "{}", "bench", DateTimeOffset.UtcNow);
        await _host.Services.GetRequiredService<IRunRepository>().AddAsync(run, CancellationToken.None);
        await Feed.OpenAsync(run.Id, CancellationToken.None);
        return run;
    }

    public long DatabaseMiB() => new FileInfo(DatabasePath).Length / 1024 / 1024;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { Directory.Delete(Folder, true); } catch (IOException) { }
    }

    private sealed class NoClusters : IClusterRegistry
    {
        public IReadOnlyList<ClusterInfo> List() => [];
        public ClusterConnection? Find(string name) => null;
    }
}
