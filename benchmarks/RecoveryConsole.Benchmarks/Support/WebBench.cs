using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Web.Hosting;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// The console's web host in-process on 127.0.0.1 with an ephemeral port and a fresh data directory (lab on, for its demo
/// accounts), plus the baseline's hub; a signed-in cookie for hub clients; runs made and sealed as the engine does.
/// </summary>
public sealed partial class WebBench : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string Folder { get; }
    public Uri BaseAddress { get; }
    public CookieContainer Cookies { get; } = new();
    public RunFeed Feed => _app.Services.GetRequiredService<RunFeed>();

    /// <summary>Waits until <paramref name="count"/> viewers follow the run on that hub, so no line is appended before they listen.</summary>
    public async Task WaitForViewersAsync(string hubPath, Guid runId, int count)
    {
        var legacy = _app.Services.GetRequiredService<LegacyFanOut>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((hubPath == LegacyFollowHub.Path ? legacy.ViewerCount(runId) : Feed.ViewerCount(runId)) < count && DateTime.UtcNow < deadline)
            await Task.Delay(20);
    }

    private WebBench(WebApplication app, string folder, Uri baseAddress) => (_app, Folder, BaseAddress) = (app, folder, baseAddress);

    public static async Task<WebBench> StartAsync()
    {
        var folder = Measure.TempFolder("viewers");
        // Otherwise the first start prints the admin account's password in the log.
        Environment.SetEnvironmentVariable("RECOVERYCONSOLE_ADMIN_PASSWORD", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        var app = ConsoleHost.Build(
        [
            "--urls=http://127.0.0.1:0", $"--Console:DataDirectory={folder}", "--Console:Lab:Enabled=true", "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore.DataProtection=Error",
        ], b =>
        {
            b.Services.AddSingleton<LegacyFanOut>();
            // A closed connection says why (the benchmark prints it).
            b.Services.Configure<Microsoft.AspNetCore.SignalR.HubOptions>(o => o.EnableDetailedErrors = true);
        });
        app.MapHub<LegacyFollowHub>(LegacyFollowHub.Path).AllowAnonymous();
        _ = app.Services.GetRequiredService<LegacyFanOut>(); // subscribed to commits from the start
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var bench = new WebBench(app, folder, address);
        await bench.SignInAsync("vera", "drill-vera"); // a demo viewer: may follow drills
        return bench;
    }

    private async Task SignInAsync(string user, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        var token = Token().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = user, ["password"] = password, ["returnUrl"] = "/",
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("error=") == true)
            throw new InvalidOperationException($"Sign-in as {user} failed: {(int)response.StatusCode} {response.Headers.Location}");
    }

    /// <summary>A drill run on the lab cluster, open for lines.</summary>
    public async Task<Run> NewRunAsync()
    {
        var run = new Run("bench", "Benchmark", "0", "lab-ocp4", true, "{}", "bench", DateTimeOffset.UtcNow);
        await _app.Services.GetRequiredService<IRunRepository>().AddAsync(run, CancellationToken.None);
        await Feed.OpenAsync(run.Id, CancellationToken.None);
        run.MoveTo(RunStatus.Running, DateTimeOffset.UtcNow);
        return run;
    }

    /// <summary>Ends and seals the run as RunExecutor does: flushed, digest stored, the sealed view published.</summary>
    public async Task SealAsync(Run run)
    {
        await Feed.FlushAsync(run.Id, CancellationToken.None);
        var seal = await TranscriptDigest.SealAsync(_app.Services.GetRequiredService<ITranscriptStore>(), run.Id, CancellationToken.None);
        run.MoveTo(RunStatus.Succeeded, DateTimeOffset.UtcNow);
        run.SealTranscript(seal.Digest, seal.Lines);
        await _app.Services.GetRequiredService<IRunRepository>().SaveAsync(run, CancellationToken.None);
        Feed.Publish(RunView.From(run));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, true); } catch (IOException) { }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
