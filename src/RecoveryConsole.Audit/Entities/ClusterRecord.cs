namespace RecoveryConsole.Audit.Entities;

/// <summary>A cluster the console knows of, as registered: the registry's durable record, not its live state.</summary>
public sealed class ClusterRecord
{
    public required string Name { get; set; }
    /// <summary><see cref="ClusterKinds.Simulated"/> or <see cref="ClusterKinds.Real"/>.</summary>
    public required string Kind { get; set; }
    public string Product { get; set; } = "openshift";
    public string Version { get; set; } = "";
    /// <summary>The name of a connection profile (where credentials are kept elsewhere); never a secret itself.</summary>
    public string ConnectionProfile { get; set; } = "";
    /// <summary>When the cluster was first registered; an upsert keeps the first value.</summary>
    public DateTimeOffset RegisteredAt { get; set; }
    /// <summary>The full <see cref="Orchestration.Clusters.ClusterDefinition"/> as JSON (hosts, access references, inventory); "" for simulated ones.</summary>
    public string DefinitionJson { get; set; } = "";
}

public static class ClusterKinds
{
    public const string Simulated = "simulated";
    public const string Real = "real";

    public static bool IsKnown(string kind) => kind is Simulated or Real;
}
