namespace RecoveryConsole.Orchestration.Actions;

/// <summary>The built-in actions by name.</summary>
public sealed class StepActions(IEnumerable<IStepAction> actions)
{
    private readonly Dictionary<string, IStepAction> _byName = actions.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public IReadOnlySet<string> Names => _byName.Keys.ToHashSet();

    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> Arguments => _byName.ToDictionary(kv => kv.Key, kv => kv.Value.Arguments);

    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> Outputs => _byName.ToDictionary(kv => kv.Key, kv => kv.Value.Outputs);

    public IStepAction? Find(string name) => _byName.GetValueOrDefault(name);
}
