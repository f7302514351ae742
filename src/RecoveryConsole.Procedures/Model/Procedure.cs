namespace RecoveryConsole.Procedures.Model;

/// <summary>A recovery procedure as loaded from one YAML file: the wizard's definition.</summary>
public sealed record Procedure
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Summary { get; init; } = "";
    public required SourceReference Source { get; init; }
    public Applicability Applies { get; init; } = new();
    /// <summary>Cluster roles of a multi-cluster procedure, the main one first; empty: one cluster, the run's.</summary>
    public IReadOnlyList<ClusterRole> Clusters { get; init; } = [];
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];
    public IReadOnlyList<Check> Preflight { get; init; } = [];
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    /// <summary>Path of the file it came from; shown in errors and in history.</summary>
    public string FilePath { get; init; } = "";

    /// <summary>SHA-256 of the file's bytes: a run records it so that a review knows exactly which text ran.</summary>
    public string VersionHash { get; init; } = "";

    /// <summary>The role a step or check without <c>cluster:</c> talks to: the first; null for a one-cluster procedure.</summary>
    public string? MainRole => Clusters.Count > 0 ? Clusters[0].Name : null;

    /// <summary>Every step in execution order, depth first (groups before their children).</summary>
    public IEnumerable<StepDefinition> AllSteps() => Steps.SelectMany(s => s.SelfAndDescendants());
}

/// <summary>Where in the source document a procedure or step comes from.</summary>
public sealed record SourceReference(string Document, string Section)
{
    /// <summary>The document's title and the section, as the UI shows the source (never the file name).</summary>
    public string Cited => DocumentTitles.Cite(Document, Section);
}

public sealed record Applicability
{
    public string Product { get; init; } = "openshift";
    /// <summary>A version range such as "&gt;=4.12" or "4.2-4.3"; informative plus checked by the wizard.</summary>
    public string Versions { get; init; } = "";
}

/// <summary>A check that must hold before the run may start (or a step may run).</summary>
public sealed record Check
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required Probe Probe { get; init; }
    public Expectation Expect { get; init; } = Expectation.Success;
    /// <summary>What the operator is told when the check fails.</summary>
    public string FailureMessage { get; init; } = "";
    public StepTarget Target { get; init; } = StepTarget.Cluster;
    /// <summary>The cluster role whose API an API check asks; null: the run's main cluster.</summary>
    public string? Cluster { get; init; }
    /// <summary>The check applies only when this condition holds (e.g. only when the backup is already on the host).</summary>
    public string? When { get; init; }
    /// <summary>False: checked before the first step only, not when the run resumes (the run itself changes what it checks).</summary>
    public bool OnResume { get; init; } = true;
}
