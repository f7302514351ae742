using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Web.Hosting;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>The real console (ConsoleHost.Build) on Kestrel at 127.0.0.1 with a random port, its own data directory, a fast lab.</summary>
public sealed class TestConsole : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsData;

    private TestConsole(WebApplication app, string dataDirectory, Uri baseAddress, bool ownsData)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        _ownsData = ownsData;
    }

    public string DataDirectory { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;
    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="dataDirectory">An existing data directory (a restart of an earlier console); it is left in place on dispose.</param>
    /// <param name="configure">Added before the app is built (a log sink, more settings).</param>
    public static async Task<TestConsole> StartAsync(bool lab = true, string? proceduresFolder = null, double timeScale = 0.01,
        string? dataDirectory = null, Action<WebApplicationBuilder>? configure = null, params string[] settings)
    {
        var data = dataDirectory ?? NewDataDirectory();
        Directory.CreateDirectory(data);
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Console:DataDirectory={data}",
            $"--Console:Lab:Enabled={lab}",
            $"--Console:Lab:TimeScale={timeScale.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "--Logging:LogLevel:Default=Warning",
        };
        if (proceduresFolder is not null) args.Add($"--Console:ProceduresFolder={proceduresFolder}");
        args.AddRange(settings);
        var app = ConsoleHost.Build([.. args], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestConsole(app, data, new Uri(address), ownsData: dataDirectory is null);
    }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "rc-web-tests", Guid.NewGuid().ToString("N"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsData) DeleteData(DataDirectory);
    }

    public static void DeleteData(string dataDirectory)
    {
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
