using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;

namespace RecoveryConsole.Orchestration.Tests.Actions.Files;

/// <summary>
/// editFile through RunService on a lab host: the approver approves the exact diff and the original's SHA-256, a file
/// changed after the approval voids it (nothing applied, the new diff asked for), operations that match nothing fail in
/// words, and the original stays on the host as a backup.
/// </summary>
[Trait("Category", "Lab")]
[Trait("Category", "Security")]
public sealed class EditFileActionTests
{
    private const string HaproxyCfg = "/etc/haproxy/haproxy.cfg";

    private const string Original = """
        global
          maxconn 20000
        defaults
          timeout connect 10s
        backend masters
          balance source
          server master-0 10.0.0.5:6443 check
          server master-1 10.0.0.6:6443 check
          server master-2 10.0.0.7:6443 check

        """;

    private const string EditProcedure = """
        id: edit-file
        title: Retire a master from the load balancer
        source: { document: 001_a269d515094e3629.txt, section: "retiring a master host" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: retired, type: string }
        steps:
          - id: edit-haproxy
            title: Remove the retired master from the haproxy backend
            section: "retiring a master host"
            destructive: true
            action:
              name: editFile
              with:
                host: "{{ target }}"
                path: /etc/haproxy/haproxy.cfg
                sudo: "true"
                removeLinesMatching: "^\\s*server {{ retired }} "
            capture:
              backupPath: { output: backup }
        """;

    private const string ReplaceProcedure = """
        id: edit-etcd-conf
        title: Shrink ETCD_INITIAL_CLUSTER
        source: { document: 001_a269d515094e3629.txt, section: "removing a failed etcd host" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: members, type: string }
        steps:
          - id: edit-conf
            title: Edit etcd.conf
            section: "removing a failed etcd host"
            destructive: true
            action:
              name: editFile
              with:
                host: "{{ target }}"
                path: /etc/etcd/etcd.conf
                sudo: "true"
                replaceLine: "^ETCD_INITIAL_CLUSTER="
                with: "ETCD_INITIAL_CLUSTER={{ members }}"
                appendLine: "# edited by the recovery console"
        """;

    [Fact]
    public async Task The_approver_sees_the_exact_diff_and_the_edit_keeps_the_original_as_a_backup()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [EditProcedure]);
        var files = drill.Cluster.Host("master-0").FileSystem;
        files.WriteFile(HaproxyCfg, Original);
        var originalSha = Sha(Original);

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-file", new() { ["target"] = "master-0", ["retired"] = "master-2" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var approval = Assert.Single(run.Approvals);
        var expectedDiff = $"""
            edit-haproxy preview:
              | editFile /etc/haproxy/haproxy.cfg on master-0: {Encoding.UTF8.GetByteCount(Original)} bytes, sha256 {originalSha} -> {Encoding.UTF8.GetByteCount(Edited)} bytes, sha256 {Sha(Edited)}
              | --- /etc/haproxy/haproxy.cfg (master-0, sha256 {originalSha})
              | +++ /etc/haproxy/haproxy.cfg (edited, sha256 {Sha(Edited)})
              | @@ -6,4 +6,3 @@
              |    balance source
              |    server master-0 10.0.0.5:6443 check
              |    server master-1 10.0.0.6:6443 check
              | -  server master-2 10.0.0.7:6443 check

            """;
        Assert.Contains(expectedDiff, approval.BindingText);
        Assert.True(files.TryReadFile(HaproxyCfg, out var now));
        Assert.Equal(Edited, now);
        var backup = Assert.Single(files.FilesUnder("/etc/haproxy"), f => f.StartsWith(HaproxyCfg + ".bak-", StringComparison.Ordinal));
        Assert.True(files.TryReadFile(backup, out var kept));
        Assert.Equal(Original, kept);
        Assert.Contains(backup, run.FindStep("edit-haproxy")!.OutputsJson);
    }

    [Fact]
    public async Task A_file_changed_after_the_approval_voids_it_and_the_new_diff_is_asked_for()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [EditProcedure]);
        var files = drill.Cluster.Host("master-0").FileSystem;
        files.WriteFile(HaproxyCfg, Original);
        var someoneElse = Original + "# added by hand during the incident\n";
        var approvals = 0;
        drill.Approve = approval =>
        {
            // Someone edits the file on the host between the approval and the step's start.
            if (++approvals == 1) files.WriteFile(HaproxyCfg, someoneElse);
            return true;
        };
        var id = await drill.StartRunAsync("edit-file", new() { ["target"] = "master-0", ["retired"] = "master-2" });

        var run = await drill.DriveAsync(id);

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Equal(2, run.Approvals.Count);
        var first = run.Approvals[0];
        Assert.Equal(ApprovalDecision.Void, first.Decision);
        Assert.EndsWith("void: /etc/haproxy/haproxy.cfg on master-0 changed since the diff was approved: the edit was not applied; review the new diff", first.Reason);
        Assert.Contains($"sha256 {Sha(Original)}", first.BindingText);
        var second = run.Approvals[1];
        Assert.Contains($"sha256 {Sha(someoneElse)}", second.BindingText);
        Assert.Contains("  |  # added by hand during the incident", second.BindingText); // the new diff shows the new context
        Assert.True(files.TryReadFile(HaproxyCfg, out var now));
        Assert.Equal(Edited + "# added by hand during the incident\n", now);  // the hand edit survives: applied to what was approved second
        var backup = Assert.Single(files.FilesUnder("/etc/haproxy"), f => f.Contains(".bak-", StringComparison.Ordinal));
        Assert.True(files.TryReadFile(backup, out var kept));
        Assert.Equal(someoneElse, kept);
        Assert.Contains(await drill.TranscriptAsync(id), l => l.Text.Contains("changed since the diff was approved: the edit was not applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_operation_that_matches_no_line_fails_before_any_approval_and_changes_nothing()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [EditProcedure]);
        var files = drill.Cluster.Host("master-0").FileSystem;
        files.WriteFile(HaproxyCfg, Original);

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-file", new() { ["target"] = "master-0", ["retired"] = "master-7" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Empty(run.Approvals);
        Assert.Equal("removeLinesMatching '^\\s*server master-7 ' matches no line of /etc/haproxy/haproxy.cfg on master-0: nothing was changed.",
            run.FindStep("edit-haproxy")!.Message);
        Assert.True(files.TryReadFile(HaproxyCfg, out var now));
        Assert.Equal(Original, now);
        Assert.DoesNotContain(files.FilesUnder("/etc/haproxy"), f => f.Contains(".bak-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replacement_that_changes_nothing_fails_in_words()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [ReplaceProcedure.Replace("        appendLine: \"# edited by the recovery console\"", "")]);
        var files = drill.Cluster.Host("master-1").FileSystem;
        files.WriteFile("/etc/etcd/etcd.conf", "ETCD_NAME=master-1\nETCD_INITIAL_CLUSTER=master-0=https://10.0.0.5:2380,master-1=https://10.0.0.6:2380\n");

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-etcd-conf", new()
        {
            ["target"] = "master-1", ["members"] = "master-0=https://10.0.0.5:2380,master-1=https://10.0.0.6:2380",
        }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Empty(run.Approvals);
        Assert.Contains("The edit changes nothing in /etc/etcd/etcd.conf on master-1", run.FindStep("edit-conf")!.Message);
    }

    [Fact]
    public async Task ETCD_INITIAL_CLUSTER_is_replaced_and_a_line_appended_as_the_diff_showed()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [ReplaceProcedure]);
        var files = drill.Cluster.Host("master-1").FileSystem;
        const string conf = "ETCD_NAME=master-1\nETCD_INITIAL_CLUSTER=master-0=https://10.0.0.5:2380,master-1=https://10.0.0.6:2380,master-2=https://10.0.0.7:2380\n";
        files.WriteFile("/etc/etcd/etcd.conf", conf);

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-etcd-conf", new()
        {
            ["target"] = "master-1", ["members"] = "master-0=https://10.0.0.5:2380,master-1=https://10.0.0.6:2380",
        }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.Contains("""
              | @@ -1,2 +1,3 @@
              |  ETCD_NAME=master-1
              | -ETCD_INITIAL_CLUSTER=master-0=https://10.0.0.5:2380,master-1=https://10.0.0.6:2380,master-2=https://10.0.0.7:2380
              | +ETCD_INITIAL_CLUSTER=master-0=https://10.0.0.5:2380,master-1=https://10.0.0.6:2380
              | +# edited by the recovery console

            """, Assert.Single(run.Approvals).BindingText);
        Assert.True(files.TryReadFile("/etc/etcd/etcd.conf", out var now));
        Assert.Equal("ETCD_NAME=master-1\nETCD_INITIAL_CLUSTER=master-0=https://10.0.0.5:2380,master-1=https://10.0.0.6:2380\n# edited by the recovery console\n", now);
    }

    [Fact]
    public async Task A_secret_in_the_edit_is_written_to_the_host_but_never_shown_in_the_diff_or_the_transcript()
    {
        const string procedure = """
            id: edit-secret
            title: Add a credential
            source: { document: 003_28eb1c421f859d40.txt, section: "3.2.1" }
            parameters:
              - { name: target, type: host, from: controlPlaneHosts }
              - { name: password, type: string, secret: true }
            steps:
              - id: add-credential
                title: Add the credential to the environment file
                section: "3.2.1"
                destructive: true
                action:
                  name: editFile
                  with: { host: "{{ target }}", path: /etc/kubernetes/recovery.env, sudo: "true", appendLine: "ETCDCTL_PASSWORD={{ password }}" }
            """;
        await using var drill = await ProcedureDrill.StartAsync(null, [], [procedure]);
        var files = drill.Cluster.Host("master-0").FileSystem;
        files.WriteFile("/etc/kubernetes/recovery.env", "ETCDCTL_USER=root\n");

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-secret", new() { ["target"] = "master-0", ["password"] = "Wh1sper-0f-the-etcd" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(files.TryReadFile("/etc/kubernetes/recovery.env", out var now));
        Assert.Equal("ETCDCTL_USER=root\nETCDCTL_PASSWORD=Wh1sper-0f-the-etcd\n", now);
        var binding = Assert.Single(run.Approvals).BindingText!;
        Assert.Contains("  | +ETCDCTL_PASSWORD=", binding);
        Assert.DoesNotContain("Wh1sper-0f-the-etcd", binding);
        Assert.DoesNotContain(await drill.TranscriptAsync(run.Id), l => l.Text.Contains("Wh1sper-0f-the-etcd", StringComparison.Ordinal));
    }

    private const string EveryHostProcedure = """
        id: edit-every-host
        title: Remove a failed etcd host from every remaining host's etcd.conf
        source: { document: 001_a269d515094e3629.txt, section: "removing a failed etcd host" }
        parameters:
          - { name: failed, type: host, from: controlPlaneHosts }
        steps:
          - id: shrink
            title: Edit ETCD_INITIAL_CLUSTER on every remaining etcd host
            section: "removing a failed etcd host"
            destructive: true
            forEach: { hosts: controlPlaneHosts, except: failed, mode: sequential }
            steps:
              - id: edit
                title: Edit etcd.conf
                section: "removing a failed etcd host"
                action:
                  name: editFile
                  with: { host: "{{ host }}", path: /etc/etcd/etcd.conf, sudo: "true", removeLinesMatching: "^ETCD_INITIAL_CLUSTER_STATE=" }
        """;

    [Fact]
    public async Task A_group_on_every_remaining_host_binds_each_hosts_diff_into_its_one_approval()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [EveryHostProcedure]);
        foreach (var host in new[] { "master-0", "master-1" })
            drill.Cluster.Host(host).FileSystem.WriteFile("/etc/etcd/etcd.conf", $"ETCD_NAME={host}\nETCD_INITIAL_CLUSTER_STATE=existing\n");

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-every-host", new() { ["failed"] = "master-2" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var binding = Assert.Single(run.Approvals).BindingText!;
        foreach (var host in new[] { "master-0", "master-1" })
        {
            Assert.Contains($"  | editFile /etc/etcd/etcd.conf on {host}:", binding);
            Assert.Contains($"  |  ETCD_NAME={host}\n  | -ETCD_INITIAL_CLUSTER_STATE=existing\n", binding);
            Assert.True(drill.Cluster.Host(host).FileSystem.TryReadFile("/etc/etcd/etcd.conf", out var now));
            Assert.Equal($"ETCD_NAME={host}\n", now);
        }
        Assert.False(drill.Cluster.Host("master-2").FileSystem.FileExists("/etc/etcd/etcd.conf"));
    }

    [Fact]
    public async Task A_hosts_file_changed_while_the_approved_group_runs_is_not_edited()
    {
        await using var drill = await ProcedureDrill.StartAsync(null, [], [EveryHostProcedure]);
        foreach (var host in new[] { "master-0", "master-1" })
            drill.Cluster.Host(host).FileSystem.WriteFile("/etc/etcd/etcd.conf", $"ETCD_NAME={host}\nETCD_INITIAL_CLUSTER_STATE=existing\n");
        const string handEdited = "ETCD_NAME=master-1\nETCD_INITIAL_CLUSTER_STATE=existing\nETCD_DEBUG=true\n";
        var master1 = drill.Cluster.Host("master-1").FileSystem;
        // While master-0 is being edited (after the group's approval was checked), someone edits master-1's file.
        drill.Cluster.Host("master-0").FileSystem.Changed += path =>
        {
            if (path == "/etc/etcd/etcd.conf" && (!master1.TryReadFile(path, out var c) || c != handEdited)) master1.WriteFile(path, handEdited);
        };

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-every-host", new() { ["failed"] = "master-2" }));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("/etc/etcd/etcd.conf on master-1 changed since the diff was approved: the edit was not applied; review the new diff",
            run.FindStep("shrink[master-1]/edit")!.Message);
        Assert.True(master1.TryReadFile("/etc/etcd/etcd.conf", out var now));
        Assert.Equal(handEdited, now);
        Assert.DoesNotContain(master1.FilesUnder("/etc/etcd"), f => f.Contains(".bak-", StringComparison.Ordinal));
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryReadFile("/etc/etcd/etcd.conf", out var first));
        Assert.Equal("ETCD_NAME=master-0\n", first);
    }

    [Fact]
    public async Task A_second_edit_keeps_its_own_backup_and_never_overwrites_the_first()
    {
        const string procedure = """
            id: edit-twice
            title: Two edits of one file
            source: { document: 001_a269d515094e3629.txt, section: "retiring a master host" }
            parameters:
              - { name: target, type: host, from: controlPlaneHosts }
            steps:
              - id: first
                title: Remove master-2
                section: "retiring a master host"
                action:
                  name: editFile
                  with: { host: "{{ target }}", path: /etc/haproxy/haproxy.cfg, sudo: "true", removeLinesMatching: "^\\s*server master-2 " }
                capture:
                  firstBackup: { output: backup }
              - id: second
                title: Remove master-1
                section: "retiring a master host"
                action:
                  name: editFile
                  with: { host: "{{ target }}", path: /etc/haproxy/haproxy.cfg, sudo: "true", removeLinesMatching: "^\\s*server master-1 " }
                capture:
                  secondBackup: { output: backup }
            """;
        await using var drill = await ProcedureDrill.StartAsync(null, [], [procedure]);
        var files = drill.Cluster.Host("master-0").FileSystem;
        files.WriteFile(HaproxyCfg, Original);

        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-twice", new() { ["target"] = "master-0" }));

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        var backups = files.FilesUnder("/etc/haproxy").Where(f => f.Contains(".bak-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, backups.Count);
        Assert.True(files.TryReadFile(backups[0], out var first));
        Assert.Equal(Original, first); // the true original survives the second edit
        Assert.True(files.TryReadFile(backups[1], out var second));
        Assert.Equal(Edited, second);
        Assert.EndsWith("-2", backups[1], StringComparison.Ordinal); // same second on the drill's clock: numbered, not overwritten
    }

    private static string Edited => Original.Replace("  server master-2 10.0.0.7:6443 check\n", "", StringComparison.Ordinal);

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
