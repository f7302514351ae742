namespace RecoveryConsole.Procedures.Model;

/// <summary>
/// One value the console builds from what is already known (parameters, chosen hosts and their addresses, captures):
/// <see cref="Template"/> rendered once, or, with <see cref="ForEach"/>, once per item and joined with <see cref="Join"/>
/// (e.g. <c>INITIAL_CLUSTER</c> from the hosts the operator chose). It becomes the variable <see cref="Name"/>.
/// </summary>
public sealed record ComputedValue
{
    public required string Name { get; init; }
    public required string Template { get; init; }
    /// <summary>A host set, a host or hostList parameter, or a list variable; null: rendered once.</summary>
    public string? ForEach { get; init; }
    /// <summary>The current item's name in the template (default <c>item</c>); a host item has <c>.name</c> and <c>.address</c>.</summary>
    public string As { get; init; } = "item";
    public string Join { get; init; } = ",";
}

/// <summary>
/// A <c>compute:</c> step. With <see cref="Review"/> the run stops and shows the values (a WaitingForOperator gate); only
/// once an operator confirmed them do later steps see them, and who confirmed what is audited.
/// </summary>
public sealed record ComputeSpec(IReadOnlyList<ComputedValue> Values, bool Review);
