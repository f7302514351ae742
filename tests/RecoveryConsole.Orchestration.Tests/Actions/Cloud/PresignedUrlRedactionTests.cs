using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Cloud;

/// <summary>
/// A presigned URL is a bearer credential: through RunService it reaches the next step's template (an API body, which
/// LoggedApi prints) and works, but neither the stored transcript, the step's record nor the audit holds it.
/// </summary>
[Trait("Category", "Security")]
[Trait("Category", "S3")]
public sealed partial class PresignedUrlRedactionTests
{
    private const string Key = "backups/hosted-1/etcd-0-snapshot.db";
    private const string MarkerPath = "/api/v1/namespaces/hypershift/configmaps/restore-url";

    private const string Procedure = $$$"""
        id: presign-and-use
        title: Presign the snapshot and hand it on
        source: { document: 002_dc66a8ea9facaa02.txt, section: "8.6.3" }
        applies: { product: hypershift-management }
        steps:
          - id: presign
            title: Presign the snapshot
            section: "8.6.3 step 6"
            action:
              name: s3Presign
              with: { bucket: {{{HostedEstate.Bucket}}}, key: {{{Key}}}, expires: 1h }
            capture:
              restoreUrl: { output: url }
          - id: use
            title: Write it into an object
            section: "8.6.3 step 6"
            api:
              method: POST
              path: /api/v1/namespaces/hypershift/configmaps
              body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"restore-url","namespace":"hypershift"},"data":{"url":"{{ restoreUrl }}"}}'
            expect: { status: 201 }
        """;

    /// <summary>The lab's hosted estate, lab-mgmt-a with the estate's AWS account as its cloud account.</summary>
    private sealed class CloudRegistry(LabClusterRegistry lab, CloudAccount account) : IClusterRegistry
    {
        public IReadOnlyList<ClusterInfo> List() => lab.List();
        public ClusterConnection? Find(string name) => lab.Find(name) is { } c && name == CloudLab.Cluster ? c with { Cloud = account } : lab.Find(name);
    }

    [Fact]
    public async Task The_presigned_url_reaches_the_next_step_and_works_but_is_never_stored()
    {
        await using var lab = await CloudLab.StartAsync();
        var content = "snapshot of hosted-1"u8.ToArray();
        lab.Estate.S3.Put(Key, content, lab.Time.GetUtcNow());
        var folder = Support.Engine.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "procedures", "presign.yaml"), Procedure);
        await using var engine = await Support.Engine.StartInAsync(folder, new CloudRegistry(lab.Lab, lab.Account), lab.Time);

        var id = await engine.Runs.StartAsync(new StartRunRequest("presign-and-use", CloudLab.Cluster, new Dictionary<string, string?>()), Support.Engine.Olivia, CancellationToken.None);
        var run = await engine.WaitForAsync(id, r => r.Status.IsFinal(), "the end", 60);

        Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.StatusReason} {string.Join("; ", run.Steps.Select(s => $"{s.StepPath}={s.Status} {s.Message}"))}");
        // It reached the template whole, and it works.
        var marker = await lab.Lab.Find(CloudLab.Cluster)!.Api.SendAsync(new ApiRequest("GET", MarkerPath), default);
        var url = (string)JsonNode.Parse(marker.Body)!["data"]!["url"]!;
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url));
        var signature = Signature().Match(url).Groups[1].Value;
        Assert.Equal(64, signature.Length);

        // Nowhere stored: transcript (the API body LoggedApi printed included), the step's record, the audit.
        var lines = await engine.TranscriptAsync(id);
        Assert.DoesNotContain(lines, l => l.Text.Contains(signature, StringComparison.Ordinal) || l.Text.Contains("X-Amz-Credential", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StepPath == "use" && l.Text.Contains("\"url\": \"" + Redactor.Mask, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StepPath == "presign" && l.Text == "restoreUrl = " + Redactor.Mask);
        var stored = (await engine.Repository.GetAsync(id, CancellationToken.None))!;
        Assert.All(stored.Steps, s => Assert.DoesNotContain(signature, s.OutputsJson ?? "", StringComparison.Ordinal));
        Assert.Contains(Redactor.Mask, stored.FindStep("presign")!.OutputsJson);
        Assert.All(await engine.Audit.ListAsync(id, CancellationToken.None), e => Assert.DoesNotContain(signature, e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_resumed_run_signs_the_url_again_since_it_was_never_stored_and_the_new_one_works()
    {
        await using var lab = await CloudLab.StartAsync();
        var content = "snapshot of hosted-1"u8.ToArray();
        lab.Estate.S3.Put(Key, content, lab.Time.GetUtcNow());
        var folder = Support.Engine.NewFolder();
        // The object goes to a namespace that does not exist yet: the step fails after the URL was made.
        await File.WriteAllTextAsync(Path.Combine(folder, "procedures", "presign.yaml"), Procedure.Replace("namespaces/hypershift/configmaps", "namespaces/made-later/configmaps", StringComparison.Ordinal)
            .Replace("\"namespace\":\"hypershift\"", "\"namespace\":\"made-later\"", StringComparison.Ordinal));
        await using var engine = await Support.Engine.StartInAsync(folder, new CloudRegistry(lab.Lab, lab.Account), lab.Time);
        var id = await engine.Runs.StartAsync(new StartRunRequest("presign-and-use", CloudLab.Cluster, new Dictionary<string, string?>()), Support.Engine.Olivia, CancellationToken.None);
        var failed = await engine.WaitForAsync(id, r => r.Status.IsFinal(), "the end", 60);
        Assert.Equal(RunStatus.Failed, failed.Status);
        var firstFailure = failed.FindStep("use")!.Message;
        Assert.Equal("HTTP status 404, expected 201", firstFailure);
        var api = lab.Lab.Find(CloudLab.Cluster)!.Api;
        var created = await api.SendAsync(new ApiRequest("POST", "/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"made-later"}}"""), default);
        Assert.True(created.Status is 200 or 201, created.Body);

        await ResumeWhenIdleAsync(engine, id);
        var run = await engine.WaitForAsync(id, r => r.Status.IsFinal() && r.FindStep("use")!.Message != firstFailure, "the resumed end", 60);

        Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.StatusReason} {string.Join("; ", run.Steps.Select(s => $"{s.StepPath}={s.Status} {s.Message}"))}");
        // The presign step stays done (one record, one attempt): only its URL was made again, and it works.
        Assert.Equal(1, run.FindStep("presign")!.Attempts);
        var marker = await api.SendAsync(new ApiRequest("GET", "/api/v1/namespaces/made-later/configmaps/restore-url"), default);
        var url = (string)JsonNode.Parse(marker.Body)!["data"]!["url"]!;
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url));
        var signature = Signature().Match(url).Groups[1].Value;
        var lines = await engine.TranscriptAsync(id);
        Assert.Contains(lines, l => l.StepPath == "presign" && l.Text == "Resumed: restoreUrl of 'Presign the snapshot' (secret, never stored) made again by s3Presign, which changes nothing.");
        Assert.DoesNotContain(lines, l => l.Text.Contains(signature, StringComparison.Ordinal));
        var remade = Assert.Single(await engine.Audit.ListAsync(id, CancellationToken.None), e => e.Kind == Audit.AuditKinds.OutputsRemade);
        Assert.Equal("presign: restoreUrl by s3Presign", remade.Detail);
        var stored = (await engine.Repository.GetAsync(id, CancellationToken.None))!;
        Assert.All(stored.Steps, s => Assert.DoesNotContain(signature, s.OutputsJson ?? "", StringComparison.Ordinal));
    }

    /// <summary>The executor leaves the active runs just after the run's end is stored: resume once it has.</summary>
    private static async Task ResumeWhenIdleAsync(Support.Engine engine, Guid id)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await engine.Runs.ResumeAsync(id, Support.Engine.Olivia, "the namespace exists now", CancellationToken.None);
                return;
            }
            catch (InvalidOperationException e) when (attempt < 100 && e.Message.Contains("already active", StringComparison.Ordinal)) { await Task.Delay(50); }
        }
    }

    [GeneratedRegex("X-Amz-Signature=([0-9a-f]+)")]
    private static partial Regex Signature();
}
