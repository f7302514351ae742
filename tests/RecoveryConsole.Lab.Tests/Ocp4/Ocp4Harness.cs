using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Ocp4;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Ocp4;

/// <summary>
/// The demo cluster on virtual time, driven as the engine drives it: commands through the host transport,
/// requests through the Kubernetes API interface.
/// </summary>
internal sealed class Ocp4Harness
{
    public Ocp4Harness(string? version = null)
    {
        var info = LabClusterCatalog.DemoOpenShift();
        if (version is not null) info = info with { Version = version };
        Registry = new LabClusterRegistry(new LabOptions { TimeScale = 1.0, RolloutStepDelay = TimeSpan.FromSeconds(20) }, Time, [info]);
        Cluster = Registry.FindLab(info.Name)!;
    }

    public VirtualTimeProvider Time { get; } = new();
    public LabClusterRegistry Registry { get; }
    public LabCluster Cluster { get; }
    public Ocp4Cluster Model => Cluster.Ocp4!;

    public async Task<(int Code, List<string> Out, List<string> Err)> RunAsync(string host, string command)
    {
        var sink = new RecordingSink();
        var code = await Cluster.Connection.Hosts.RunAsync(Cluster.Info.FindHost(host)!, command, sink, CancellationToken.None);
        return (code, sink.Stdout, sink.Stderr);
    }

    public async Task<(int Status, JsonNode? Body)> ApiAsync(string method, string path, string? body = null, string? contentType = null)
    {
        var response = await Cluster.Connection.Api.SendAsync(new ApiRequest(method, path, body, contentType), CancellationToken.None);
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

    /// <summary>Moves virtual time on and lets the simulation catch up.</summary>
    public void Pass(TimeSpan time)
    {
        Time.Advance(time);
        Model.Sync();
    }
}
