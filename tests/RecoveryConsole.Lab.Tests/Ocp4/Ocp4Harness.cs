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
internal sealed class Ocp4Harness(string? scenario = null, string? version = null) : LabClusterHarness(
    new LabOptions { TimeScale = 1.0, RolloutStepDelay = TimeSpan.FromSeconds(20) },
    version is null ? LabClusterCatalog.DemoOpenShift() : LabClusterCatalog.DemoOpenShift() with { Version = version },
    scenario)
{
    public Ocp4Cluster Model => Cluster.Ocp4!;

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
