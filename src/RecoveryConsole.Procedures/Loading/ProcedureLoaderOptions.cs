namespace RecoveryConsole.Procedures.Loading;

/// <summary>What the loader checks against that only the host application knows (its built-in actions).</summary>
public sealed record ProcedureLoaderOptions
{
    public static readonly ProcedureLoaderOptions Default = new();

    /// <summary>Names of the built-in actions steps may use; null accepts any name.</summary>
    public IReadOnlyCollection<string>? KnownActions { get; init; }

    /// <summary>Per action, the argument names its <c>with</c> may use; an action without an entry accepts any.</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>>? ActionArguments { get; init; }

    /// <summary>Per action, the outputs a step may capture (<c>capture: { x: { output: name } }</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>>? ActionOutputs { get; init; }
}
