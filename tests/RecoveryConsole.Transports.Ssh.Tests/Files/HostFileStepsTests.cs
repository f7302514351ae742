using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Files;

/// <summary>
/// The host file steps through RunService over the real OpenSSH client to the test sshd (the "host's disk" is a folder
/// of this machine, and sudo is the fixture's double): editFile's reviewed diff, a file changed after the approval
/// voiding it, the owner and mode kept across the edit, writeFile, downloadFile and copyFile from host to host.
/// </summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
[Trait("Category", "Security")]
public sealed class HostFileStepsTests(SshFixture fixture) : IDisposable
{
    private static readonly Actor Operator = new("olivia", [Roles.Operator]);
    private static readonly Actor Approver = new("arjun", [Roles.Approver]);

    private const string Original = "global\n  maxconn 20000\nbackend masters\n  server master-0 10.0.0.5:6443 check\n  server master-1 10.0.0.6:6443 check\n  server master-2 10.0.0.7:6443 check\n";

    private const string EditProcedure = """
        id: test
        title: Retire a master from the load balancer
        source: { document: 001_a269d515094e3629.txt, section: "retiring a master host" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: path, type: path }
        steps:
          - id: edit-haproxy
            title: Remove master-2 from the haproxy backend
            section: "retiring a master host"
            destructive: true
            action:
              name: editFile
              with:
                host: "{{ target }}"
                path: "{{ path }}"
                sudo: "true"
                removeLinesMatching: "^\\s*server master-2 "
        """;

    private const string WriteProcedure = """
        id: test
        title: Write a file
        source: { document: 003_28eb1c421f859d40.txt, section: "3.2.1" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: path, type: path }
        steps:
          - id: write
            title: Write the environment file
            section: "3.2.1"
            action:
              name: writeFile
              with:
                host: "{{ target }}"
                path: "{{ path }}"
                sudo: "true"
                mode: "0640"
                content: |
                  INITIAL_CLUSTER=master-0=https://10.0.0.5:2380
            capture:
              writtenSha: { output: sha256 }
        """;

    private const string DownloadProcedure = """
        id: test
        title: Download a file
        source: { document: 001_a269d515094e3629.txt, section: "backing up a master host" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: path, type: path }
        steps:
          - id: download
            title: Bring the file to the console
            section: "backing up a master host"
            action:
              name: downloadFile
              with: { host: "{{ target }}", path: "{{ path }}", name: master-config.yaml, sudo: "true" }
            capture:
              saved: { output: artifact }
        """;

    private const string CopyProcedure = """
        id: test
        title: Distribute the recovered kubeconfig
        source: { document: 003_28eb1c421f859d40.txt, section: "3.4.1" }
        parameters:
          - { name: source, type: host, from: controlPlaneHosts }
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: path, type: path }
          - { name: toPath, type: path }
        steps:
          - id: copy
            title: Copy the kubeconfig to the other master
            section: "3.4.1 step 9"
            action:
              name: copyFile
              with: { fromHost: "{{ source }}", path: "{{ path }}", toHost: "{{ target }}", toPath: "{{ toPath }}", sudo: "true", mode: "0600" }
            capture:
              copiedSha: { output: sha256 }
        """;

    private readonly string _remote = Directory.CreateTempSubdirectory("rc-filesteps-").FullName;

    public void Dispose() => Directory.Delete(_remote, true);

    [Fact]
    public async Task A_reviewed_diff_is_applied_with_the_owner_and_mode_kept_and_a_change_after_the_approval_voids_it()
    {
        var path = Path.Combine(_remote, "haproxy.cfg");
        await File.WriteAllTextAsync(path, Original);
        await RunAsync("chown", "1234:5678", path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead); // 0640
        await using var transport = fixture.Transport();
        await using var engine = await EngineOverSsh.StartWithProcedureAsync(transport, EditProcedure, TimeSpan.FromMinutes(1));
        var sudoBefore = fixture.Server.SudoLog.Count;

        var id = await engine.Runs.StartAsync(new StartRunRequest("test", LabClusterCatalog.DemoClusterName,
            new Dictionary<string, string?> { ["target"] = "master-0", ["path"] = path }), Operator, CancellationToken.None);
        var first = Pending(await engine.WaitForAsync(id, r => Pending(r) is not null, TimeSpan.FromSeconds(60)))!;
        Assert.Contains($"--- {path} (master-0, sha256 {Sha(Original)})", first.BindingText);
        Assert.Contains("  | -  server master-2 10.0.0.7:6443 check\n", first.BindingText);

        // Someone edits the file on the host after the diff was made: the approval given for it must not apply.
        var handEdited = Original + "# maintenance window 03:00\n";
        await File.WriteAllTextAsync(path, handEdited);
        await engine.Runs.ApproveAsync(id, first.StepPath, Approver, "diff reviewed", CancellationToken.None);
        var waiting = await engine.WaitForAsync(id, r => r.Approvals.Count == 2 && Pending(r) is not null, TimeSpan.FromSeconds(60));
        Assert.Equal(ApprovalDecision.Void, waiting.Approvals[0].Decision);
        Assert.EndsWith($"{path} on master-0 changed since the diff was approved: the edit was not applied; review the new diff", waiting.Approvals[0].Reason);
        Assert.Equal(handEdited, await File.ReadAllTextAsync(path));
        var second = Pending(waiting)!;
        Assert.Contains($"sha256 {Sha(handEdited)}", second.BindingText);

        await engine.Runs.ApproveAsync(id, second.StepPath, Approver, "new diff reviewed", CancellationToken.None);
        var run = await engine.WaitForAsync(id, r => r.Status.IsFinal(), TimeSpan.FromSeconds(60));

        Assert.True(run.Status == RunStatus.Succeeded, await engine.ExplainAsync(run));
        var edited = handEdited.Replace("  server master-2 10.0.0.7:6443 check\n", "", StringComparison.Ordinal);
        Assert.Equal(edited, await File.ReadAllTextAsync(path));
        Assert.Equal("640 1234:5678", await RunAsync("stat", "-c", "%a %u:%g", path));
        var backup = Assert.Single(Directory.GetFiles(_remote, "haproxy.cfg.bak-*"));
        Assert.Equal(handEdited, await File.ReadAllTextAsync(backup));
        Assert.Equal("640 1234:5678", await RunAsync("stat", "-c", "%a %u:%g", backup));
        Assert.Equal(["haproxy.cfg", Path.GetFileName(backup)], Directory.GetFiles(_remote).Select(Path.GetFileName).Order(StringComparer.Ordinal)); // no partial left
        Assert.Contains(fixture.Server.SudoLog.Skip(sudoBefore), l => l.Contains("cp -p -- " + path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_is_written_over_ssh_with_its_mode_and_the_previous_one_kept()
    {
        var path = Path.Combine(_remote, "etcd.env");
        await File.WriteAllTextAsync(path, "INITIAL_CLUSTER=old\n");
        await using var transport = fixture.Transport();
        await using var engine = await EngineOverSsh.StartWithProcedureAsync(transport, WriteProcedure, TimeSpan.FromMinutes(1));

        var id = await engine.Runs.StartAsync(new StartRunRequest("test", LabClusterCatalog.DemoClusterName,
            new Dictionary<string, string?> { ["target"] = "master-0", ["path"] = path }), Operator, CancellationToken.None);
        var run = await engine.WaitForAsync(id, r => r.Status.IsFinal(), TimeSpan.FromSeconds(60));

        Assert.True(run.Status == RunStatus.Succeeded, await engine.ExplainAsync(run));
        Assert.Equal("INITIAL_CLUSTER=master-0=https://10.0.0.5:2380\n", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Equal("INITIAL_CLUSTER=old\n", await File.ReadAllTextAsync($"{path}.bak-{run.Id.ToString("N")[..8]}"));
    }

    [Fact]
    public async Task A_root_only_file_is_downloaded_over_ssh_into_the_runs_artifacts_with_the_hosts_checksum()
    {
        var path = Path.Combine(_remote, "master-config.yaml");
        var content = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var transport = fixture.Transport();
        await using var engine = await EngineOverSsh.StartWithProcedureAsync(transport, DownloadProcedure, TimeSpan.FromMinutes(1));
        var sudoBefore = fixture.Server.SudoLog.Count;

        var id = await engine.Runs.StartAsync(new StartRunRequest("test", LabClusterCatalog.DemoClusterName,
            new Dictionary<string, string?> { ["target"] = "master-0", ["path"] = path }), Operator, CancellationToken.None);
        var run = await engine.WaitForAsync(id, r => r.Status.IsFinal(), TimeSpan.FromSeconds(60));

        Assert.True(run.Status == RunStatus.Succeeded, await engine.ExplainAsync(run));
        var store = engine.Services.GetRequiredService<IArtifactStore>();
        var artifact = Assert.Single(await store.ListAsync(id, CancellationToken.None));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), artifact.Sha256);
        var stored = new MemoryStream();
        await using (var read = await store.OpenAsync(id, "master-config.yaml", CancellationToken.None)) await read.CopyToAsync(stored);
        Assert.Equal(content, stored.ToArray());
        Assert.Contains(fixture.Server.SudoLog.Skip(sudoBefore), l => l.Contains("cat -- " + path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_root_only_file_is_copied_from_one_host_to_another_through_the_console_checked_at_both_ends()
    {
        var path = Path.Combine(_remote, "kubeconfig");
        var toPath = Path.Combine(_remote, "etc-kubernetes-kubeconfig");
        var content = RandomNumberGenerator.GetBytes(200_000);
        await File.WriteAllBytesAsync(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var transport = fixture.Transport();
        await using var engine = await EngineOverSsh.StartWithProcedureAsync(transport, CopyProcedure, TimeSpan.FromMinutes(1));
        var sudoBefore = fixture.Server.SudoLog.Count;

        var id = await engine.Runs.StartAsync(new StartRunRequest("test", LabClusterCatalog.DemoClusterName, new Dictionary<string, string?>
        {
            ["source"] = "master-0", ["target"] = "master-1", ["path"] = path, ["toPath"] = toPath,
        }), Operator, CancellationToken.None);
        var run = await engine.WaitForAsync(id, r => r.Status.IsFinal(), TimeSpan.FromSeconds(60));

        Assert.True(run.Status == RunStatus.Succeeded, await engine.ExplainAsync(run));
        Assert.Equal(content, await File.ReadAllBytesAsync(toPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(toPath));
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Contains($"\"{sha}\"", run.FindStep("copy")!.OutputsJson);
        // Read and written with sudo (the file is root-only on a real host), through the console: no host-to-host session.
        var sudo = fixture.Server.SudoLog.Skip(sudoBefore).ToList();
        Assert.Contains(sudo, l => l.Contains("cat -- " + path, StringComparison.Ordinal));
        Assert.Contains(sudo, l => l.Contains(toPath, StringComparison.Ordinal));

        // A source that is not there fails in words and writes nothing.
        File.Delete(toPath);
        var missing = await engine.Runs.StartAsync(new StartRunRequest("test", LabClusterCatalog.DemoClusterName, new Dictionary<string, string?>
        {
            ["source"] = "master-0", ["target"] = "master-1", ["path"] = path + ".nope", ["toPath"] = toPath,
        }), Operator, CancellationToken.None);
        var failed = await engine.WaitForAsync(missing, r => r.Status.IsFinal(), TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains(path + ".nope", failed.StatusReason);
        Assert.False(File.Exists(toPath));
    }

    private static Approval? Pending(Run run) => run.Approvals.LastOrDefault(a => a.Decision == ApprovalDecision.Pending);

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await process.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }
}
