using System.Net;
using System.Text.Json;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

public sealed class ExportTests
{
    [Fact]
    public async Task A_finished_drill_exports_every_line_and_a_report_with_approver_notes_and_a_verified_digest()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        var run = await RunDriver.CompleteAsync(console, runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        using var vera = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);

        var text = await vera.Http.GetStringAsync($"/runs/{runId}/transcript.txt");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("# ", StringComparison.Ordinal)).ToArray();
        Assert.StartsWith($"# RecoveryConsole transcript of run {runId}", text);
        Assert.Contains("# Transcript: intact", text);
        Assert.Equal(run.TranscriptLineCount, lines.Length);
        Assert.Equal(Enumerable.Range(1, lines.Length).Select(i => i.ToString()), lines.Select(l => l.TrimStart().Split(' ')[0]));
        Assert.Contains(lines, l => l.EndsWith("| 2000", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" stderr ") && l.Contains("rehearsal only"));

        var report = await vera.Http.GetStringAsync($"/runs/{runId}/report.md");
        Assert.Contains("# Post-incident report", report);
        Assert.Contains("| Started by | olivia |", report);
        Assert.Contains("arjun", report);
        Assert.Contains(RunDriver.ManualNote, report);
        Assert.Contains("**Succeeded**", report);
        Assert.Contains("the transcript still matches its seal", report);
        Assert.Contains("DRILL", report);

        using var json = JsonDocument.Parse(await vera.Http.GetStringAsync($"/runs/{runId}/transcript.json"));
        var root = json.RootElement;
        Assert.Equal(runId, root.GetProperty("run").GetProperty("id").GetGuid());
        Assert.Equal(run.TranscriptLineCount, root.GetProperty("lines").GetArrayLength());
        Assert.Contains(root.GetProperty("approvals").EnumerateArray(), a => a.GetProperty("decidedBy").GetString() == "arjun");
        Assert.Contains(root.GetProperty("audit").EnumerateArray(), e => e.GetProperty("kind").GetString() == "approval.decided");
        Assert.Contains(root.GetProperty("lines").EnumerateArray(), l => l.GetProperty("stream").GetString() == "stderr");
    }

    [Fact]
    public async Task A_secret_printed_by_a_step_never_reaches_the_exports()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rc-web-tests", "procedures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "leaky.yaml"), """
            id: leaky
            title: Prints a token
            source: { document: test, section: "1" }
            steps:
              - id: print-token
                title: Print a token
                section: "1"
                on: master-0
                run: "echo 'token: abcdefgh123'"
            """);
        try
        {
            await using var console = await TestConsole.StartAsync(proceduresFolder: folder);
            var invalid = console.Get<ProcedureCatalog>().Invalid;
            Assert.True(invalid.Count == 0, string.Join("\n", invalid.SelectMany(i => i.Errors)));
            var runId = await console.Get<RunService>().StartAsync(new StartRunRequest("leaky", DemoUsers.LabCluster, new Dictionary<string, string?>()),
                RunDriver.Olivia, CancellationToken.None);
            var run = await RunDriver.CompleteAsync(console, runId);
            Assert.Equal(RunStatus.Succeeded, run.Status);
            using var olivia = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);

            foreach (var export in new[] { "transcript.txt", "transcript.json", "report.md" })
            {
                var response = await olivia.Http.GetAsync($"/runs/{runId}/{export}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("abcdefgh123", body);
                if (export == "transcript.txt") Assert.Contains("token: [REDACTED]", body);
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
