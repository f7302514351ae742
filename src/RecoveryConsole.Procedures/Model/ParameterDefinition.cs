namespace RecoveryConsole.Procedures.Model;

public enum ParameterType
{
    /// <summary>One host of the cluster, picked from a host set (see <see cref="ParameterDefinition.From"/>).</summary>
    Host,
    /// <summary>Several hosts of the cluster.</summary>
    HostList,
    /// <summary>An absolute POSIX path.</summary>
    Path,
    /// <summary>One of <see cref="ParameterDefinition.Choices"/>.</summary>
    Enum,
    Bool,
    /// <summary>Free text, validated by <see cref="ParameterDefinition.Pattern"/> when given.</summary>
    String,
    Int,
}

public sealed record ParameterDefinition
{
    public required string Name { get; init; }
    public required ParameterType Type { get; init; }
    public string Label { get; init; } = "";
    public string Help { get; init; } = "";
    public string? Default { get; init; }
    public bool Required { get; init; } = true;
    /// <summary>For host parameters: the host set the value must come from (controlPlaneHosts, workers, allHosts).</summary>
    public string? From { get; init; }
    public IReadOnlyList<string> Choices { get; init; } = [];
    /// <summary>A .NET regular expression the whole value must match (anchored by the validator).</summary>
    public string? Pattern { get; init; }
    /// <summary>The rule of <see cref="Pattern"/> in words, shown to the operator instead of the regular expression.</summary>
    public string? PatternHelp { get; init; }
    /// <summary>A secret (a password, a token): never stored in clear, never printed, redacted wherever it appears.</summary>
    public bool Secret { get; init; }
    /// <summary>For host parameters: hosts the operator declared lost; preflight does not try to reach them.</summary>
    public bool SkipPreflight { get; init; }
}
