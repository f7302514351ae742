namespace RecoveryConsole.Lab.Shell;

/// <summary>
/// A program of the simulated hosts (echo, grep, later crictl, etcdctl, cluster-restore.sh ...).
/// Returns the exit status; throws <see cref="OperationCanceledException"/> when cancelled.
/// </summary>
public interface ILabCommand
{
    string Name { get; }

    Task<int> RunAsync(LabCommandContext context);
}

/// <summary>A command written as a lambda, for small tools and test doubles.</summary>
public sealed class DelegateLabCommand(string name, Func<LabCommandContext, Task<int>> handler) : ILabCommand
{
    public string Name { get; } = name;

    public Task<int> RunAsync(LabCommandContext context) => handler(context);
}
