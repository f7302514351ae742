using System.Diagnostics;
using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Etcd;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Etcd;

/// <summary>
/// The snapshot commands of procedures/ocp311-backup-etcd.yaml (001, 5.2.1.2.2 step 5), rendered from the file as the
/// engine renders them, sent over SSH to a host whose etcdctl reaches a real etcd 3.4 cluster. The host has no
/// OpenShift: its <c>oc</c> runs the exec'd command right there, as the etcd container would on its node (the
/// snapshot's directory standing for the pod's /var/lib/etcd volume). The test etcd speaks plain HTTP, so its
/// endpoints carry http:// and the client certificate files (a real key pair made here) are loaded but not used.
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Etcd")]
public sealed class Ocp311SnapshotOverSshTests(EtcdFixture fixture) : IDisposable
{
    private const string Pod = "master-etcd-master-0.example.com";
    private readonly string _root = Directory.CreateTempSubdirectory("rc-ocp311-snapshot-").FullName;

    [Fact]
    public async Task The_procedures_snapshot_command_saves_a_snapshot_that_snapshot_status_reads()
    {
        var prefix = "/rc-ocp311-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 1; i <= 12; i++) await fixture.EtcdctlAsync(fixture.Cluster.Endpoints, "put", $"{prefix}/{i:D2}", $"value {i}");
        var values = Values(fixture.Cluster.Members[1].ClientUrl);

        var health = await RunStepAsync("etcd-data/endpoint-health", values);
        var save = await RunStepAsync("etcd-data/snapshot-save", values);

        Assert.True(health.Exit == 0, string.Join('\n', health.Sink.Stderr));
        Assert.Contains(health.Sink.Stdout.Concat(health.Sink.Stderr), l => l.StartsWith($"{values["etcdEndpoint"]} is healthy: ", StringComparison.Ordinal));
        Assert.True(save.Exit == 0, string.Join('\n', save.Sink.Stderr));
        Assert.Contains($"Snapshot saved at {values["snapshotPath"]}", save.Sink.Stdout);
        Assert.Equal($"exec {Pod} -c etcd -- /bin/bash -c", File.ReadAllText(Path.Combine(_root, "oc.log")).Split('\n')[0]);
        var status = await RunStepAsync("etcd-data/snapshot-status", values);
        Assert.True(status.Exit == 0, string.Join('\n', status.Sink.Stderr));
        Assert.Matches("HASH.*REVISION.*TOTAL KEYS.*TOTAL SIZE", string.Join('\n', status.Sink.Stdout));
        var json = EtcdctlOutput.ParseSnapshotStatus(await fixture.EtcdctlAsync(fixture.Cluster.Endpoints, "snapshot", "status", values["snapshotPath"], "-w", "json"));
        Assert.True(json.TotalKey >= 12, $"the snapshot holds {json.TotalKey} keys");
    }

    [Fact]
    public async Task A_wrong_endpoint_fails_the_connection_check_with_etcdctls_own_message()
    {
        // etcdctl 3.4's snapshot save waits for ever on an endpoint it cannot reach; the procedure checks the endpoint first.
        var values = Values($"http://127.0.0.1:{SshdServer.FreePort()}");

        var health = await RunStepAsync("etcd-data/endpoint-health", values);

        Assert.Equal(1, health.Exit);
        Assert.Contains($"{values["etcdEndpoint"]} is unhealthy: failed to commit proposal: context deadline exceeded", health.Sink.Stdout.Concat(health.Sink.Stderr));
        Assert.Contains("Error: unhealthy cluster", health.Sink.Stderr);
        Assert.False(File.Exists(values["snapshotPath"]));
    }

    /// <summary>The step's command as the engine sends it (CommandRenderer over the file's template), with the test's values.</summary>
    private async Task<(int Exit, CollectingSink Sink)> RunStepAsync(string path, IReadOnlyDictionary<string, string> values)
    {
        var command = ShippedProcedure.Load("ocp311-backup-etcd").Command(path, values);
        var sink = new CollectingSink();
        // The host's oc comes first on PATH; everything else (sudo, etcdctl) is the host's own.
        var exit = await fixture.Transport.RunAsync(fixture.Host, $"PATH={ShellQuote.Quote(_root)}/bin:\"$PATH\"; {command}", sink, TimeSpan.FromMinutes(2), CancellationToken.None);
        return (exit, sink);
    }

    private Dictionary<string, string> Values(string endpoint)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        var oc = Path.Combine(bin, "oc");
        // oc exec POD -c CONTAINER -- COMMAND...: logs what it was asked, then runs COMMAND here (this host is the pod's node).
        File.WriteAllText(oc, $$"""
            #!/bin/bash
            printf '%s %s %s %s %s %s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" >> '{{_root}}/oc.log'
            [ "$1" = exec ] && [ "$3" = -c ] && [ "$5" = -- ] || { echo "error: this host's oc only runs exec POD -c CONTAINER -- COMMAND" >&2; exit 1; }
            shift 5
            exec "$@"
            """.Replace("\r\n", "\n") + "\n");
        File.SetUnixFileMode(oc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(_root, "peer.key");
        var crt = Path.Combine(_root, "peer.crt");
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt, "-days", "1", "-subj", "/CN=etcd-peer");
        var volume = Directory.CreateDirectory(Path.Combine(_root, "var-lib-etcd")).FullName;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["etcdPod"] = Pod, ["etcdCert"] = crt, ["etcdKey"] = key, ["etcdCacert"] = crt, ["etcdEndpoint"] = endpoint,
            ["snapshotPath"] = Path.Combine(volume, "snapshot.db"),
        };
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} exited {process.ExitCode}: {error.Result}");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
