using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Scenarios;

/// <summary>The document and section a scenario is recovered with (the procedure the console should run).</summary>
public sealed record LabScenarioProcedure(string Document, string Section, string Title);

/// <summary>
/// One fault of a scenario: a <see cref="Type"/> that a registered <see cref="ILabFaultHandler"/> knows, with its
/// parameters as JSON (from the YAML mapping).
/// </summary>
public sealed record LabFault(string Type, JsonObject Parameters)
{
    public string? String(string name) => Parameters[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : Parameters[name]?.ToJsonString();

    public string Require(string name) =>
        String(name) ?? throw new LabScenarioException($"fault {Type}: parameter '{name}' is required");

    public IReadOnlyList<string> Strings(string name) => Parameters[name] switch
    {
        JsonArray array => array.Select(n => (string?)n ?? "").ToList(),
        JsonValue value when value.TryGetValue<string>(out var one) => [one],
        _ => [],
    };
}

/// <summary>
/// A disaster to rehearse, as data: what it looks like, which procedure recovers it, and the faults that stage it
/// on a healthy lab cluster (in order). <see cref="Model"/> names the simulation the faults need ("ocp4" today;
/// "ocp3", "ocp42", "hosted" when those models exist).
/// </summary>
public sealed record LabScenario
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Model { get; init; }
    public string Summary { get; init; } = "";

    /// <summary>What the operator sees and must know, including warnings (a restore is the last resort ...).</summary>
    public string Description { get; init; } = "";

    public LabScenarioProcedure? Procedure { get; init; }

    /// <summary>True when the recovery is destructive and should only be chosen when nothing else works.</summary>
    public bool LastResort { get; init; }

    /// <summary>The control-plane host a recovery should run on (the one that keeps the backup), if the scenario implies one.</summary>
    public string? RecoveryHost { get; init; }

    public IReadOnlyList<LabFault> Faults { get; init; } = [];

    /// <summary>
    /// The lab clusters it is staged on (the hosted scenarios: the source management cluster only; staging resets the
    /// whole estate); empty: any cluster of <see cref="Model"/>.
    /// </summary>
    public IReadOnlyList<string> StagedOn { get; init; } = [];

    public bool CanStageOn(string cluster, string? model) => model == Model && (StagedOn.Count == 0 || StagedOn.Contains(cluster, StringComparer.Ordinal));
}

/// <summary>A scenario file or fault that cannot be loaded or applied; the message names the file and field.</summary>
public sealed class LabScenarioException(string message, Exception? inner = null) : Exception(message, inner);
