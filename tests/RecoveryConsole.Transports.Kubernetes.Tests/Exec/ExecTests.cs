using System.Text;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Transports.Kubernetes.Exec;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Exec;

[Trait("Category", "Lab")]
public sealed class ExecTests
{
    private const string Ns = LabHarness.Namespace;
    private const string Pod = "rc-probe-0";

    private static async Task<LabHarness> StartAsync(params string[] protocols)
    {
        var lab = await LabHarness.StartAsync(protocols.Length == 0 ? null : new LabApiServerOptions { ExecProtocols = protocols });
        lab.PutPod(Ns, Pod, "master-0", "probe", "sidecar");
        lab.Api.ExecHandler = lab.NodeShell;
        return lab;
    }

    private static ExecRequest Shell(string script) => new(Ns, Pod, ["sh", "-c", script]) { Container = "probe" };

    [Theory]
    [InlineData(LabApiServerOptions.ChannelV5)]
    [InlineData(LabApiServerOptions.ChannelV4)]
    public async Task Exec_streams_stdout_and_stderr_and_reports_the_exit_code(string serverProtocol)
    {
        // A server offering only v4 is one older than Kubernetes 1.30: the client must fall back to it.
        await using var lab = await StartAsync(serverProtocol);
        var client = lab.Client();
        var output = new RecordingSink();

        var failed = await client.ExecAsync(Shell("hostname; echo oops >&2; exit 3"), output);
        var succeeded = await client.ExecAsync(Shell("echo fine"), new RecordingSink());

        Assert.Equal(3, failed.ExitCode);
        Assert.Equal(serverProtocol, failed.Protocol);
        Assert.Equal(["master-0"], output.Stdout);
        Assert.Equal(["oops"], output.Stderr);
        Assert.Equal(0, succeeded.ExitCode);
        Assert.Contains(lab.Faults.Requests, r => r.Target.StartsWith($"/api/v1/namespaces/{Ns}/pods/{Pod}/exec?command=sh&command=-c&command=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Under_v5_stdin_is_sent_and_closed()
    {
        await using var lab = await StartAsync();
        var fake = new FakeContainer();
        lab.Api.ExecHandler = fake.RunAsync;
        var input = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(1, 20_000).Select(i => $"line {i}")) + "\n");
        var output = new MemoryStream();

        var result = await lab.Client().ExecAsync(new ExecRequest(Ns, Pod, ["cat"]) { Container = "sidecar" },
            new ExecStreams(Stdin: new MemoryStream(input), Stdout: output));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input, output.ToArray());
    }

    [Fact]
    public async Task A_missing_pod_is_a_typed_404_with_the_servers_words()
    {
        await using var lab = await StartAsync();

        var error = await Assert.ThrowsAsync<KubernetesNotFoundException>(() =>
            lab.Client().ExecAsync(new ExecRequest(Ns, "rc-probe-9", ["etcdctl", "member", "list"]), new RecordingSink()));

        Assert.Equal("pods \"rc-probe-9\" not found", error.ServerMessage);
    }

    [Fact]
    public async Task A_pod_with_several_containers_needs_one_named()
    {
        await using var lab = await StartAsync();

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            lab.Client().ExecAsync(new ExecRequest(Ns, Pod, ["etcdctl", "member", "list"]), new RecordingSink()));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal($"a container name must be specified for pod {Pod}, choose one of: [probe sidecar]", error.ServerMessage);
    }

    [Fact]
    public async Task A_command_that_cannot_start_is_not_an_exit_code()
    {
        await using var lab = await StartAsync();
        lab.Api.ExecHandler = (_, _, _) => throw new InvalidOperationException("OCI runtime exec failed: exec: \"etcdctl\": executable file not found in $PATH");

        var error = await Assert.ThrowsAsync<KubernetesExecException>(() =>
            lab.Client().ExecAsync(new ExecRequest(Ns, Pod, ["etcdctl"]) { Container = "probe" }, new RecordingSink()));

        Assert.Contains("could not run: OCI runtime exec failed", error.Message);
    }

    [Fact]
    public async Task A_node_that_is_down_fails_the_exec_with_its_reason()
    {
        await using var lab = await StartAsync();
        lab.Cluster.Host("master-0").Reachable = false;

        var error = await Assert.ThrowsAsync<KubernetesExecException>(() => lab.Client().ExecAsync(Shell("true"), new RecordingSink()));

        Assert.Contains("No route to host", error.Message);
    }

    [Fact]
    public async Task A_reader_may_not_exec()
    {
        await using var lab = await StartAsync();

        var error = await Assert.ThrowsAsync<KubernetesForbiddenException>(() =>
            lab.Client(user: "viewer", groups: ["lab-viewers"]).ExecAsync(Shell("true"), new RecordingSink()));

        Assert.Contains("cannot create resource \"pods/exec\"", error.ServerMessage);
    }

    [Fact]
    public async Task Cancelling_an_exec_ends_the_process_on_the_server()
    {
        await using var lab = await StartAsync();
        var started = new TaskCompletionSource();
        var ended = new TaskCompletionSource();
        lab.Api.ExecHandler = async (_, _, cancellationToken) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                ended.SetResult();
            }
            return 0;
        };
        using var cancel = new CancellationTokenSource();

        var exec = lab.Client().ExecAsync(Shell("sleep infinity"), new RecordingSink(), cancel.Token);
        await started.Task.WaitAsync(Eventually.Guard());
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exec);
        await ended.Task.WaitAsync(Eventually.Guard());
    }

    [Fact]
    public async Task A_connection_lost_midway_is_not_taken_for_an_exit_code()
    {
        await using var lab = await StartAsync();
        var started = new TaskCompletionSource();
        lab.Api.ExecHandler = async (_, streams, cancellationToken) =>
        {
            await streams.Stdout.WriteAsync("snapshot saved\n"u8.ToArray(), cancellationToken);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        };
        var output = new RecordingSink();

        var exec = lab.Client().ExecAsync(Shell("etcdctl snapshot save /tmp/x"), output);
        await started.Task.WaitAsync(Eventually.Guard());
        await lab.Server.DisposeAsync();

        var error = await Assert.ThrowsAsync<KubernetesExecException>(() => exec);
        Assert.Contains("it is unknown whether the command finished", error.Message);
        Assert.Equal(["snapshot saved"], output.Stdout);
    }

    [Fact]
    public async Task A_server_speaking_no_offered_protocol_runs_nothing()
    {
        await using var lab = await StartAsync("v3.channel.k8s.io");
        var ran = false;
        lab.Api.ExecHandler = (_, _, _) =>
        {
            ran = true;
            return Task.FromResult(0);
        };

        var error = await Assert.ThrowsAsync<KubernetesExecException>(() => lab.Client().ExecAsync(Shell("true"), new RecordingSink()));

        Assert.Contains("refused to open the exec connection (HTTP 400); nothing ran", error.Message);
        Assert.False(ran);
    }
}
