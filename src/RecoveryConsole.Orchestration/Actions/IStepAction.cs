using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// A typed built-in action: what a procedure file cannot say as data (list, decide, patch, poll a rollout).
/// Failures throw <see cref="Engine.StepFailedException"/> with a sentence for the operator.
/// </summary>
public interface IStepAction
{
    string Name { get; }
    /// <summary>Argument names the action accepts (checked when procedures load).</summary>
    IReadOnlyCollection<string> Arguments { get; }
    Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken);
}

/// <summary>What an action gets: the cluster's API (every request logged to the transcript), its arguments, a place to write lines.</summary>
public sealed record ActionContext(
    IKubernetesApi Api,
    IReadOnlyDictionary<string, string> Arguments,
    IOutputSink Output,
    TimeProvider Clock,
    TimeSpan? Timeout)
{
    public string Argument(string name, string fallback) => Arguments.TryGetValue(name, out var v) && v.Length > 0 ? v : fallback;

    public string RequiredArgument(string name) => Arguments.TryGetValue(name, out var v) && v.Length > 0
        ? v : throw new Engine.StepFailedException($"The action needs the argument '{name}'.");
}
