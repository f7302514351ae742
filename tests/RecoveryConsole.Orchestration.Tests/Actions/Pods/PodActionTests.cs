using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Pods;

/// <summary>
/// podExec, podCopyTo and podCopyFrom through RunService against the hosted management cluster lab-mgmt-a, reached over
/// HTTPS with the real Kubernetes client: exec over WebSocket, copy as tar, sha256sum in the etcd pod.
/// </summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class PodActionTests
{
    private const string Cluster = "lab-mgmt-a";
    private const string Content = "hosted-1 notes: member etcd-0 restored from snapshot\nsecond line\n";

    private const string RoundTrip = """
        id: pod-files
        title: A file into the etcd pod and back
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        parameters:
          - { name: fromRun, type: string }
        steps:
          - id: mkdir
            title: Make the directory
            section: "1"
            action:
              name: podExec
              with: { namespace: clusters-hosted-1, container: etcd, selector: app=etcd, command: "mkdir -p /var/lib/notes" }
            capture:
              chosen: { output: pod }
          - id: put
            title: Copy the notes in
            section: "2"
            action:
              name: podCopyTo
              with: { namespace: clusters-hosted-1, container: etcd, pod: "{{ chosen }}", artifact: notes.txt, fromRun: "{{ fromRun }}", path: /var/lib/notes/notes.txt }
          - id: show
            title: Show them
            section: "3"
            action:
              name: podExec
              with: { namespace: clusters-hosted-1, container: etcd, pod: etcd-0, command: '["cat", "/var/lib/notes/notes.txt"]' }
            expect: { outputMatches: "restored from snapshot" }
            capture:
              shown: output
          - id: get
            title: Copy them back
            section: "4"
            action:
              name: podCopyFrom
              with: { namespace: clusters-hosted-1, container: etcd, pod: etcd-0, path: /var/lib/notes/notes.txt, name: notes-back.txt }
            capture:
              backSha: { output: sha256 }
        """;

    private const string Failing = """
        id: pod-fail
        title: Commands that fail
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        parameters:
          - { name: command, type: string }
        steps:
          - id: run
            title: Run it
            section: "1"
            action:
              name: podExec
              with: { namespace: clusters-hosted-1, container: etcd, pod: etcd-0, command: "{{ command }}" }
        """;

    private const string MissingFile = """
        id: pod-missing
        title: Copy a file that is not there
        source: { document: 000_fa5c83705aa298d9.txt, section: "hcp" }
        applies: { product: hypershift-management }
        steps:
          - id: get
            title: Copy it
            section: "1"
            action:
              name: podCopyFrom
              with: { namespace: clusters-hosted-1, container: etcd, pod: etcd-0, path: /var/lib/gone.db }
        """;

    [Fact]
    public async Task A_file_goes_into_the_pod_and_back_verified_with_output_streamed_and_captured()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [RoundTrip]);
        var store = drill.Engine.Services.GetRequiredService<IArtifactStore>();
        var earlier = Guid.NewGuid();
        await store.SaveAsync(earlier, "notes.txt", new MemoryStream(Encoding.UTF8.GetBytes(Content)), "test", new Dictionary<string, string>(), default);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Content)));

        var run = await drill.DriveAsync(await drill.StartRunAsync("pod-files", new() { ["fromRun"] = earlier.ToString() }, Cluster));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var lines = await drill.TranscriptAsync(run.Id);
        // The command's output arrives as stdout lines of the step, like SSH output.
        Assert.Contains(lines, l => l.StepPath == "show" && l.Stream == OutputStream.Stdout && l.Text == "second line");
        Assert.Contains(lines, l => l.StepPath == "show" && l.Text.StartsWith("→ exec clusters-hosted-1/etcd-0 [etcd]: cat", StringComparison.Ordinal));
        Assert.Contains("restored from snapshot", run.FindStep("show")!.OutputsJson);
        Assert.Contains("etcd-0", run.FindStep("mkdir")!.OutputsJson);
        Assert.Contains(sha, run.FindStep("get")!.OutputsJson);

        var back = (await store.ListAsync(run.Id, default)).Single(a => a.Name == "notes-back.txt");
        Assert.Equal(sha, back.Sha256);
        Assert.Equal("clusters-hosted-1/etcd-0 [etcd]:/var/lib/notes/notes.txt", back.Origin);
        Assert.Equal("pod-file", back.Labels["kind"]);
        await using var read = await store.OpenAsync(run.Id, "notes-back.txt", default);
        Assert.Equal(Content, await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task A_command_that_exits_non_zero_fails_the_step_with_its_stderr_in_the_transcript()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [Failing]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("pod-fail", new() { ["command"] = "cat /var/lib/nothing-here" }, Cluster));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("exit code 1, expected 0", run.FindStep("run")!.Message);
        Assert.Contains(await drill.TranscriptAsync(run.Id), l => l.Stream == OutputStream.Stderr && l.Text.Contains("cat: /var/lib/nothing-here: No such file or directory"));
    }

    [Fact]
    public async Task A_pod_that_does_not_exist_fails_the_step_saying_so()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [MissingFile.Replace("pod: etcd-0", "pod: etcd-9", StringComparison.Ordinal)]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("pod-missing", new(), Cluster));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("etcd-9", run.FindStep("get")!.Message);
        Assert.Empty(await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default));
    }

    [Fact]
    public async Task A_missing_file_in_the_pod_fails_the_copy_and_stores_nothing()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [MissingFile]);

        var run = await drill.DriveAsync(await drill.StartRunAsync("pod-missing", new(), Cluster));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("/var/lib/gone.db", run.FindStep("get")!.Message);
        Assert.Empty(await drill.Engine.Services.GetRequiredService<IArtifactStore>().ListAsync(run.Id, default));
    }

    [Fact]
    public async Task A_tampered_artifact_is_not_copied_into_the_pod()
    {
        await using var drill = await ProcedureDrill.StartOverHttpsAsync(Cluster, [RoundTrip]);
        var store = (FileArtifactStore)drill.Engine.Services.GetRequiredService<IArtifactStore>();
        var earlier = Guid.NewGuid();
        await store.SaveAsync(earlier, "notes.txt", new MemoryStream(Encoding.UTF8.GetBytes(Content)), "test", new Dictionary<string, string>(), default);
        // Same length, other bytes: only the checksum can tell.
        await File.WriteAllTextAsync(Path.Combine(store.Root, earlier.ToString(), "notes.txt"), Content.Replace("etcd-0", "etcd-1", StringComparison.Ordinal));

        var run = await drill.DriveAsync(await drill.StartRunAsync("pod-files", new() { ["fromRun"] = earlier.ToString() }, Cluster));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("failed its check and was not copied", run.FindStep("put")!.Message);
        Assert.Null(run.FindStep("show")?.StartedAt);
    }
}
