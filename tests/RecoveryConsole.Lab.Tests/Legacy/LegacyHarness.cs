using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>
/// A 3.11 or 4.2/4.3 lab cluster on virtual time, driven as the engine drives it: commands through the host transport,
/// requests through the Kubernetes API interface.
/// </summary>
internal sealed class LegacyHarness
{
    public LegacyHarness(ClusterInfo info, string? scenario = null)
    {
        Registry = new LabClusterRegistry(new LabOptions { TimeScale = 1.0 }, Time, [info]);
        Scenarios = new LabScenarios(Registry);
        Cluster = Registry.FindLab(info.Name)!;
        if (scenario is not null) Application = Scenarios.Apply(info.Name, scenario);
    }

    public VirtualTimeProvider Time { get; } = new();
    public LabClusterRegistry Registry { get; }
    public LabScenarios Scenarios { get; }
    public LabScenarioApplication? Application { get; }
    public LabCluster Cluster { get; }
    public IHostTransport Hosts => Cluster.Connection.Hosts;
    public IKubernetesApi Api => Cluster.Connection.Api;

    public LabHealthReport Health() => LabHealth.Evaluate(Cluster);

    public async Task<(int Code, List<string> Out, List<string> Err)> RunAsync(string host, string command)
    {
        var sink = new RecordingSink();
        var code = await Hosts.RunAsync(Cluster.Info.FindHost(host)!, command, sink, CancellationToken.None);
        return (code, sink.Stdout, sink.Stderr);
    }

    public async Task<List<string>> MustAsync(string host, string command)
    {
        var (code, stdout, stderr) = await RunAsync(host, command);
        Assert.True(code == 0, $"[{host}] {command} exited {code}: {string.Join('\n', stderr.Concat(stdout))}");
        return stdout;
    }

    public async Task<(int Status, JsonNode? Body)> ApiAsync(string method, string path, string? body = null, string? contentType = null)
    {
        var response = await Api.SendAsync(new ApiRequest(method, path, body, contentType), CancellationToken.None);
        try
        {
            return (response.Status, JsonNode.Parse(response.Body));
        }
        catch (System.Text.Json.JsonException)
        {
            return (response.Status, JsonValue.Create(response.Body));
        }
    }

    public async Task<JsonObject> MustApiAsync(string method, string path, string? body = null, string? contentType = null)
    {
        var (status, json) = await ApiAsync(method, path, body, contentType);
        Assert.True(status is >= 200 and < 300, $"{method} {path} answered {status}: {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    /// <summary>Replaces a file the way an operator without an editor does: filter it into /tmp, then copy it back as root.</summary>
    public async Task RewriteAsync(string host, string file, string dropPattern, string? appendLine = null)
    {
        await MustAsync(host, $"grep -v '{dropPattern}' {file} > /tmp/rewrite.tmp");
        if (appendLine is not null) await MustAsync(host, $"echo '{appendLine}' >> /tmp/rewrite.tmp");
        await MustAsync(host, $"sudo cp /tmp/rewrite.tmp {file}");
    }

    /// <summary>Writes a whole file (what an operator does in vi): line by line into /tmp, then copied into place as root.</summary>
    public async Task WriteAsync(string host, string file, string content)
    {
        await MustAsync(host, ": > /tmp/rewrite.tmp");
        foreach (var line in content.TrimEnd('\n').Split('\n')) await MustAsync(host, $"echo \"{line}\" >> /tmp/rewrite.tmp");
        await MustAsync(host, $"sudo cp /tmp/rewrite.tmp {file}");
    }

    public string Read(string host, string file) =>
        Cluster.Host(host).FileSystem.TryReadFile(file, out var text) ? text : throw new FileNotFoundException(file);
}
