using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecoveryConsole.Benchmarks.Support;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Hosting;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Benchmarks.Figures;

/// <summary>
/// The run page of a 1,000,000-line run in Chromium (Playwright), against a console started in this process: time until
/// the page is interactive (line count shown, rows rendered) and time to jump to a line. Baseline, same run: what the
/// previous page did before it could render at all, every line of the run followed into the circuit's memory.
/// </summary>
public sealed class TranscriptPageFigures : IBenchmark
{
    private const int JumpsPerRound = 30;

    public string Name => "transcript-page";
    public string Description => "run page with a 1,000,000-line transcript in Chromium: interactive, jump to a line; vs holding every line";

    public async Task RunAsync(Report report, double scale, CancellationToken cancellationToken)
    {
        var lines = Math.Max(10_000, (int)(1_000_000 * scale));
        var data = Measure.TempFolder("page");
        var app = ConsoleHost.Build([
            "--urls=http://127.0.0.1:0", $"--Console:DataDirectory={data}", "--Console:Lab:Enabled=true", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync(cancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var run = new Run("bench", "Benchmark: a million lines", "0", "lab-ocp4", true, "{}", "olivia", DateTimeOffset.UtcNow);
            await app.Services.GetRequiredService<IRunRepository>().AddAsync(run, cancellationToken);
            var store = app.Services.GetRequiredService<ITranscriptStore>();
            var batch = new List<TranscriptLine>(10_000);
            for (var seq = 1; seq <= lines; seq++)
            {
                batch.Add(new TranscriptLine(run.Id, seq, $"restore-etcd[master-{seq % 3}]/copy", $"master-{seq % 3}",
                    seq % 50 == 0 ? OutputStream.Stderr : OutputStream.Stdout, DateTimeOffset.UtcNow,
                    $"I1203 10:00:00.{seq % 1_000_000:D6} 1 raft.go:{seq % 900}] line {seq}: applied index {seq * 7} term 3"));
                if (batch.Count == 10_000) { await store.AppendAsync(batch, cancellationToken); batch.Clear(); }
            }
            if (batch.Count > 0) await store.AppendAsync(batch, cancellationToken);
            // The search index catches up in the background (a minute of CPU for a million lines on this machine): measured
            // after it, so the figures are the page's and not the indexer's.
            var indexed = Stopwatch.StartNew();
            await app.Services.GetRequiredService<RecoveryConsole.Audit.Transcript.TranscriptSearchIndexer>().CatchUpAsync(cancellationToken);
            report.Note($"{lines:N0} lines stored for one run; search index caught up in {indexed.Elapsed.TotalSeconds:N0} s");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            var context = await browser.NewContextAsync(new() { BaseURL = address, ViewportSize = new() { Width = 1440, Height = 900 } });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(120_000);
            await page.GotoAsync("/login");
            await page.FillAsync("#userName", "olivia");
            await page.FillAsync("#password", "drill-olivia");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.Locator("[data-testid=current-user]").WaitForAsync();

            var interactive = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                await page.GotoAsync($"/runs/{run.Id}");
                await Assertions.Expect(page.Locator("[data-testid=line-count]")).ToHaveTextAsync($"{lines:N0} lines", new() { Timeout = 120_000 });
                await page.Locator($".rc-line[data-seq='{lines}']").WaitForAsync();
                interactive.Add(clock.Elapsed.TotalMilliseconds);
            }
            interactive.Sort();

            // Three rounds of random jumps (about half of them outside the 500,000-row window, so they move it); each round's
            // p50 / p99 / max, and the median of the three rounds of each.
            var rounds = new List<TranscriptJumpRound>();
            var missed = new List<int>();
            for (var round = 0; round < 3; round++)
            {
                var random = new Random(7 + round);
                var jumps = new List<TranscriptJumpProbe.Jump>();
                for (var i = 0; i < JumpsPerRound; i++)
                {
                    var target = random.Next(1, lines + 1);
                    if (await TranscriptJumpProbe.GoAsync(page, target, 10_000) is { } jump) jumps.Add(jump);
                    else missed.Add(target);
                }
                var r = new TranscriptJumpRound(jumps);
                rounds.Add(r);
                report.Note($"round {round + 1}: {r}");
            }
            if (missed.Count > 0) report.Note($"{missed.Count} jumps never showed their line within 10 s: {string.Join(", ", missed)}");
            var median = TranscriptJumpRound.Median(rounds);

            // The previous page: RunFollowSession followed from sequence 0 and held every line before its first render.
            var old = Stopwatch.StartNew();
            var held = new List<TranscriptLine>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await foreach (var e in RunFollower.FollowAsync(app.Services.GetRequiredService<RunFeed>(), run.Id, 0, stopWhenSettled: false, stop.Token))
            {
                if (e is LinesAppended appended) held.AddRange(appended.Lines);
                if (e is RunUpdated) break; // the snapshot comes after the stored lines
            }
            var oldLoad = old.Elapsed.TotalMilliseconds;
            report.Add($"run page of {lines:N0} lines interactive (3 loads: median / worst)", $"{interactive[1]:N0} / {interactive[^1]:N0} ms", "< 2 s",
                $"previous page: {held.Count:N0} lines into the circuit before any render {oldLoad:N0} ms", interactive[^1] < 2_000);
            report.Add($"jump to a random line, shown highlighted in view ({JumpsPerRound} jumps x 3 rounds, median round: p50 / p99 / max; Enter to the frame showing it)",
                $"{median.P50:N0} / {median.P99:N0} / {median.Max:N0} ms; moving the window {median.MovedP50:N0} / {median.MovedMax:N0} ms; Playwright wall p50 {median.WallP50:N0} ms{(missed.Count > 0 ? $", {missed.Count} missed" : "")}",
                "< 200 ms", "previous page: no jump (browser find cannot see virtualized rows)", missed.Count == 0 && median.P99 < 200);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }
}
