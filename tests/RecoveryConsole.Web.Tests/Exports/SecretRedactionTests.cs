using System.Net;
using System.Text;
using System.Text.Json;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Exports;

/// <summary>
/// Each secret shape of <see cref="SecretShapeTable"/> printed by a real step (the lab's <c>cat</c> of a file on a lab host)
/// in one run of the real console: no secret reaches the stored transcript, the audit, the stored run or any export
/// (transcript.txt, transcript.json, report.md), and the text around each secret stays readable. Parameters too: a secret
/// parameter is masked, a token pasted into a plain parameter is redacted, and the secret parameter's value printed by a step is masked.
/// </summary>
[Trait("Category", "Security")]
public sealed class SecretRedactionTests
{
    private const string VaultPassword = "Tr0ub4dor&3-horse-staple";
    private const string PastedJwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwYXN0ZWQtaW50by1ub3RlIn0.cGFzdGVkLXNpZ25hdHVyZQ";

    [Fact]
    public async Task Every_secret_shape_printed_by_a_step_stays_out_of_the_transcript_the_audit_the_stored_run_and_the_exports()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rc-web-tests", "procedures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "shapes.yaml"), Procedure());
        try
        {
            await using var console = await TestConsole.StartAsync(proceduresFolder: folder);
            var invalid = console.Get<ProcedureCatalog>().Invalid;
            Assert.True(invalid.Count == 0, string.Join("\n", invalid.SelectMany(i => i.Errors)));
            var master0 = console.Get<LabClusterRegistry>().FindLab(DemoUsers.LabCluster)!.Host("master-0");
            foreach (var shape in SecretShapeTable.Shapes) master0.FileSystem.WriteFile($"/tmp/shapes/{shape.Id}.txt", shape.Printed + "\n");

            var runId = await console.Get<RunService>().StartAsync(new StartRunRequest("shapes", DemoUsers.LabCluster, new Dictionary<string, string?>
            {
                ["vaultPassword"] = VaultPassword,
                ["note"] = $"paged at 02:10, token {PastedJwt} from the old runbook",
            }), RunDriver.Olivia, CancellationToken.None);
            var run = await RunDriver.CompleteAsync(console, runId);
            Assert.Equal(RunStatus.Succeeded, run.Status);

            var transcript = string.Join("\n", (await console.Get<ITranscriptStore>().ReadAsync(runId, 0, int.MaxValue, CancellationToken.None)).Select(l => l.Text));
            var audit = string.Join("\n", (await console.Get<IAuditLog>().ListAsync(runId, CancellationToken.None)).Select(e => e.Detail));
            var stored = (await console.Get<IRunRepository>().GetAsync(runId, CancellationToken.None))!;
            var storedRun = stored.ParametersJson + "\n" + string.Join("\n", stored.Steps.Select(s => $"{s.Command} {s.Message} {s.OutputsJson}"));
            using var olivia = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
            var places = new Dictionary<string, string>
            {
                ["transcript store"] = transcript,
                ["audit"] = audit,
                ["stored run"] = storedRun,
                ["transcript.txt"] = await GetAsync(olivia, $"/runs/{runId}/transcript.txt"),
                ["transcript.json"] = JsonStrings(await GetAsync(olivia, $"/runs/{runId}/transcript.json")),
                ["report.md"] = await GetAsync(olivia, $"/runs/{runId}/report.md"),
            };

            var problems = new List<string>();
            foreach (var shape in SecretShapeTable.Shapes)
            {
                foreach (var secret in shape.Secrets)
                    foreach (var (place, text) in places)
                        if (text.Contains(secret, StringComparison.Ordinal)) problems.Add($"{shape.Id}: '{secret}' leaked into the {place}");
                foreach (var kept in shape.Kept)
                    foreach (var place in new[] { "transcript store", "transcript.txt", "transcript.json" })
                        if (!places[place].Contains(kept, StringComparison.Ordinal)) problems.Add($"{shape.Id}: '{kept}' is no longer readable in the {place}");
            }
            foreach (var secret in new[] { VaultPassword, PastedJwt, "cGFzdGVkLXNpZ25hdHVyZQ" })
                foreach (var (place, text) in places)
                    if (text.Contains(secret, StringComparison.Ordinal)) problems.Add($"parameter: '{secret}' leaked into the {place}");
            Assert.True(problems.Count == 0, string.Join("\n", problems));

            // Parameters: the secret one masked whole, the plain one readable around the pasted token, in each place that lists them.
            Assert.Contains("vault answered [REDACTED]", transcript);
            Assert.Contains("[secret]", stored.ParametersJson);
            Assert.Contains("paged at 02:10, token [REDACTED] from the old runbook", places["report.md"]);
            Assert.Contains("paged at 02:10, token [REDACTED] from the old runbook", places["transcript.json"]);
            Assert.Contains("paged at 02:10, token [REDACTED] from the old runbook", JsonSerializer.Deserialize<Dictionary<string, string>>(stored.ParametersJson)!["note"]);
            Assert.Contains(Redactor.KeyLineMask, transcript);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static string Procedure()
    {
        var yaml = new StringBuilder("""
            id: shapes
            title: Prints secrets of every shape
            source: { document: test, section: "1" }
            parameters:
              - { name: vaultPassword, type: string, secret: true }
              - { name: note, type: string }
            steps:
              - { id: vault, title: Ask the vault, section: "1", on: master-0, run: "echo vault answered {{ vaultPassword }}" }

            """);
        foreach (var shape in SecretShapeTable.Shapes)
            yaml.AppendLine($"  - {{ id: {shape.Id}, title: Print {shape.Id}, section: \"1\", on: master-0, run: \"cat /tmp/shapes/{shape.Id}.txt\" }}");
        return yaml.ToString();
    }

    private static async Task<string> GetAsync(ConsoleClient client, string path)
    {
        var response = await client.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every string of a JSON document, unescaped: a secret with '+' or '&amp;' is escaped in the raw text and would hide from a search.</summary>
    private static string JsonStrings(string json)
    {
        var all = new StringBuilder();
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement);
        return all.ToString();

        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Walk(p.Value); break;
                case JsonValueKind.Array: foreach (var i in e.EnumerateArray()) Walk(i); break;
                case JsonValueKind.String: all.AppendLine(e.GetString()); break;
            }
        }
    }
}
