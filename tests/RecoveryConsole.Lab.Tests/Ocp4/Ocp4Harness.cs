using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Ocp4;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Ocp4;

/// <summary>
/// The demo cluster on virtual time (real time scale 1: a two-minute shutdown takes two simulated minutes and no
/// real time), driven as the engine drives it: commands through <see cref="IHostTransport"/>, requests through
/// <see cref="IKubernetesApi"/>.
/// </summary>
internal sealed class Ocp4Harness
{
    public Ocp4Harness(string? scenario = null, string? version = null)
    {
        var info = LabClusterCatalog.DemoOpenShift();
        if (version is not null) info = info with { Version = version };
        Registry = new LabClusterRegistry(new LabOptions { TimeScale = 1.0, RolloutStepDelay = TimeSpan.FromSeconds(20) }, Time, [info]);
        Scenarios = new LabScenarios(Registry);
        Cluster = Registry.FindLab(info.Name)!;
        if (scenario is not null) Application = Scenarios.Apply(info.Name, scenario);
    }

    public VirtualTimeProvider Time { get; } = new();
    public LabClusterRegistry Registry { get; }
    public LabScenarios Scenarios { get; }
    public LabScenarioApplication? Application { get; }
    public LabCluster Cluster { get; }
    public Ocp4Cluster Model => Cluster.Ocp4!;
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
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(response.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            parsed = JsonValue.Create(response.Body);
        }
        return (response.Status, parsed);
    }

    /// <summary>A request that must answer 2xx; returns the body.</summary>
    public async Task<JsonObject> MustApiAsync(string method, string path, string? body = null, string? contentType = null)
    {
        var (status, json) = await ApiAsync(method, path, body, contentType);
        Assert.True(status is >= 200 and < 300, $"{method} {path} answered {status}: {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    public Task<JsonObject> MergePatchAsync(string path, string patch) => MustApiAsync("PATCH", path, patch, "application/merge-patch+json");

    /// <summary>Moves virtual time on and lets the simulation catch up.</summary>
    public void Pass(TimeSpan time)
    {
        Time.Advance(time);
        Model.Sync();
    }

    /// <summary>Polls like an operator who "waits a few minutes and checks again": virtual time passes between checks.</summary>
    public async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? every = null, int attempts = 120)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await condition()) return;
            Pass(every ?? TimeSpan.FromSeconds(10));
        }
        Assert.Fail($"still waiting for: {what}\n{Health()}");
    }

    public Task WaitUntilAsync(string what, Func<bool> condition, TimeSpan? every = null, int attempts = 120) =>
        WaitUntilAsync(what, () => Task.FromResult(condition()), every, attempts);
}
