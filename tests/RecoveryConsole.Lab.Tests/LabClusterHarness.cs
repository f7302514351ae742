using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests;

/// <summary>
/// One lab cluster on virtual time, driven as the engine drives it: commands through <see cref="IHostTransport"/>,
/// requests through <see cref="IKubernetesApi"/>. The per-model harnesses add what their documents need.
/// </summary>
internal abstract class LabClusterHarness
{
    protected LabClusterHarness(LabOptions options, ClusterInfo info, string? scenario)
    {
        Registry = new LabClusterRegistry(options, Time, [info]);
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

    /// <summary>Runs a command that must succeed; returns its stdout.</summary>
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

    /// <summary>A request that must answer 2xx; returns the body.</summary>
    public async Task<JsonObject> MustApiAsync(string method, string path, string? body = null, string? contentType = null)
    {
        var (status, json) = await ApiAsync(method, path, body, contentType);
        Assert.True(status is >= 200 and < 300, $"{method} {path} answered {status}: {json?.ToJsonString()}");
        return (JsonObject)json!;
    }
}
